using System.Runtime.CompilerServices;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>Prefers nodes whose cpu and memory would be used in equal fractions: (1 − standard deviation of the fractions) × 100.</summary>
public sealed class NodeResourcesBalancedAllocation : IScorePlugin
{
    public string Name => nameof(NodeResourcesBalancedAllocation);

    public int Weight => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Score(PodInfo pod, NodeInfo node)
    {
        if (node.Allocatable.MilliCpu == 0 || node.Allocatable.Memory == 0)
        {
            return 0;
        }

        var requested = node.NonZeroRequested + pod.NonZeroRequests;
        var cpu = Math.Min(1.0, (double)requested.MilliCpu / node.Allocatable.MilliCpu);
        var memory = Math.Min(1.0, (double)requested.Memory / node.Allocatable.Memory);
        // With two resources the standard deviation is half their difference.
        var std = Math.Abs(cpu - memory) / 2;
        return (long)((1 - std) * IScorePlugin.MaxNodeScore);
    }
}
