using MiniKube.Api.Core;
using MiniKube.Controllers.Common;

namespace MiniKube.Controllers.ReplicaSets;

/// <summary>
/// The order in which a ReplicaSet gives up pods (k8s' controller.ActivePodsWithRanks): the pod that sorts first
/// is deleted first. Unassigned before assigned; Pending before Unknown before Running; not ready before ready;
/// pods doubled up on a node (higher rank) before lonely ones; ready for less time before ready for longer;
/// more container restarts before fewer; newer before older.
/// </summary>
public sealed class ActivePodsWithRanks(IReadOnlyDictionary<Pod, int> ranks, DateTimeOffset now) : IComparer<Pod>
{
    public int Compare(Pod? x, Pod? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var xAssigned = !string.IsNullOrEmpty(x.Spec?.NodeName);
        var yAssigned = !string.IsNullOrEmpty(y.Spec?.NodeName);
        if (xAssigned != yAssigned)
        {
            return xAssigned ? 1 : -1;
        }

        var phase = PhaseOrder(x).CompareTo(PhaseOrder(y));
        if (phase != 0)
        {
            return phase;
        }

        var xReady = PodUtil.IsReady(x);
        var yReady = PodUtil.IsReady(y);
        if (xReady != yReady)
        {
            return xReady ? 1 : -1;
        }

        var rank = ranks.GetValueOrDefault(y).CompareTo(ranks.GetValueOrDefault(x));
        if (rank != 0)
        {
            return rank;
        }

        if (xReady && yReady)
        {
            // Ready for less time goes first; a missing transition time counts as "just now".
            var xSince = PodUtil.ReadyCondition(x)?.LastTransitionTime ?? now;
            var ySince = PodUtil.ReadyCondition(y)?.LastTransitionTime ?? now;
            var since = ySince.CompareTo(xSince);
            if (since != 0)
            {
                return since;
            }
        }

        var restarts = Restarts(y).CompareTo(Restarts(x));
        if (restarts != 0)
        {
            return restarts;
        }

        var xCreated = x.Metadata?.CreationTimestamp ?? now;
        var yCreated = y.Metadata?.CreationTimestamp ?? now;
        var created = yCreated.CompareTo(xCreated);
        return created != 0 ? created : string.CompareOrdinal(x.Metadata?.Name, y.Metadata?.Name);
    }

    private static int PhaseOrder(Pod pod) => pod.Status?.Phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static int Restarts(Pod pod) => pod.Status?.ContainerStatuses?.Max(c => c.RestartCount ?? 0) ?? 0;
}
