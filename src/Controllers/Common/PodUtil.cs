using MiniKube.Api.Core;

namespace MiniKube.Controllers.Common;

/// <summary>Pod predicates controllers share (k8s' podutil and controller_utils).</summary>
public static class PodUtil
{
    /// <summary>Not finished and not being deleted (controller.IsPodActive).</summary>
    public static bool IsActive(Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata?.DeletionTimestamp is null;

    public static PodCondition? ReadyCondition(Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsReady(Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> by <paramref name="now"/> (podutil.IsPodAvailable).</summary>
    public static bool IsAvailable(Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        return minReadySeconds == 0
            || (ready.LastTransitionTime is { } since && since.AddSeconds(minReadySeconds) <= now);
    }
}
