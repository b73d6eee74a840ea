using MiniKube.Api.Core;

namespace MiniKube.Controllers.NodeLifecycle;

/// <summary>Taint and toleration matching (k8s' v1helper.TolerationsTolerateTaint and the taint manager's getMinTolerationTime).</summary>
public static class Tolerations
{
    public static bool Tolerates(Toleration toleration, Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.Operator switch
        {
            "Exists" => true,
            "Equal" or "" or null => toleration.Value == taint.Value || (string.IsNullOrEmpty(toleration.Value) && string.IsNullOrEmpty(taint.Value)),
            _ => false,
        };
    }

    /// <summary>
    /// How long a pod may stay on a node with <paramref name="taints"/> (all NoExecute): null when it tolerates them
    /// forever, zero when some taint is not tolerated at all, else the smallest tolerationSeconds that matches.
    /// </summary>
    public static TimeSpan? MinTolerationTime(IReadOnlyList<Toleration>? tolerations, IReadOnlyList<Taint> taints)
    {
        TimeSpan? min = null;
        foreach (var taint in taints)
        {
            var matching = (tolerations ?? []).Where(t => Tolerates(t, taint)).ToList();
            if (matching.Count == 0)
            {
                return TimeSpan.Zero;
            }

            foreach (var toleration in matching.Where(t => t.TolerationSeconds is not null))
            {
                var seconds = TimeSpan.FromSeconds(Math.Max(0, toleration.TolerationSeconds!.Value));
                min = min is null || seconds < min ? seconds : min;
            }
        }

        return min;
    }
}
