using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>The default profile, in Kubernetes' order (filters stop at the first that rejects a node, so order decides the reason).</summary>
public static class DefaultPlugins
{
    public static IReadOnlyList<IFilterPlugin> Filters() =>
        [new NodeUnschedulable(), new NodeName(), new TaintToleration(), new NodeAffinity(), new NodeResourcesFit()];

    public static IReadOnlyList<IScorePlugin> Scores() =>
        [new TaintToleration(), new NodeAffinity(), new NodeResourcesFit(), new NodeResourcesBalancedAllocation(), new SelectorSpread()];
}
