using System.Runtime.CompilerServices;
using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>
/// The filter: every NoSchedule and NoExecute taint of the node must be tolerated. The score: fewer untolerated
/// PreferNoSchedule taints is better.
/// </summary>
public sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    public string Name => nameof(TaintToleration);

    public int Weight => 3;

    /// <summary>v1.Toleration.ToleratesTaint: an empty key with Exists matches every key, an empty effect every effect.</summary>
    public static bool Tolerates(Toleration toleration, string? key, string? value, string? effect)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != key)
        {
            return false;
        }

        return toleration.Operator switch
        {
            null or "" or "Equal" => (toleration.Value ?? "") == (value ?? ""),
            "Exists" => true,
            _ => false,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<string>? Filter(PodInfo pod, NodeInfo node)
    {
        // Indexed loops: a foreach over the IReadOnlyList would box an enumerator for every node of every pod.
        var taints = node.Taints;
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            if (taint.Effect is not ("NoSchedule" or "NoExecute"))
            {
                continue;
            }

            if (!TolerationsTolerate(pod.Pod.Spec?.Tolerations, taint, effectFilter: null))
            {
                return [$"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}"];
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Score(PodInfo pod, NodeInfo node)
    {
        long count = 0;
        var taints = node.Taints;
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            if (taint.Effect == "PreferNoSchedule" && !TolerationsTolerate(pod.Pod.Spec?.Tolerations, taint, effectFilter: "PreferNoSchedule"))
            {
                count++;
            }
        }

        return count;
    }

    public void Normalize(PodInfo pod, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: true);

    /// <summary>For scoring only tolerations with no effect or PreferNoSchedule count, as in Kubernetes' getAllTolerationPreferNoSchedule.</summary>
    private static bool TolerationsTolerate(List<Toleration>? tolerations, Taint taint, string? effectFilter)
    {
        foreach (var toleration in tolerations ?? [])
        {
            if (effectFilter is not null && !string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != effectFilter)
            {
                continue;
            }

            if (Tolerates(toleration, taint.Key, taint.Value, taint.Effect))
            {
                return true;
            }
        }

        return false;
    }
}
