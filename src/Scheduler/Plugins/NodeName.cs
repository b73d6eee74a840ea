using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>A pod that names a node (spec.nodeName) fits only that node.</summary>
public sealed class NodeName : IFilterPlugin
{
    public const string ErrReason = "node(s) didn't match the requested node name";

    private static readonly string[] Reasons = [ErrReason];

    string IFilterPlugin.Name => nameof(NodeName);

    public IReadOnlyList<string>? Filter(PodInfo pod, NodeInfo node) =>
        pod.Pod.Spec?.NodeName is { Length: > 0 } wanted && wanted != node.Name ? Reasons : null;
}
