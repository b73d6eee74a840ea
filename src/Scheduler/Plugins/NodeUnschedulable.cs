using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>Filters out nodes with spec.unschedulable, unless the pod tolerates the node.kubernetes.io/unschedulable taint.</summary>
public sealed class NodeUnschedulable : IFilterPlugin
{
    public const string ErrReasonUnschedulable = "node(s) were unschedulable";

    public const string UnschedulableTaintKey = "node.kubernetes.io/unschedulable";

    private static readonly string[] Reasons = [ErrReasonUnschedulable];

    public string Name => nameof(NodeUnschedulable);

    public IReadOnlyList<string>? Filter(PodInfo pod, NodeInfo node)
    {
        if (!node.Unschedulable)
        {
            return null;
        }

        foreach (var toleration in pod.Pod.Spec?.Tolerations ?? [])
        {
            if (TaintToleration.Tolerates(toleration, UnschedulableTaintKey, null, "NoSchedule"))
            {
                return null;
            }
        }

        return Reasons;
    }
}
