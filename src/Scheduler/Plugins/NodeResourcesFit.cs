using System.Runtime.CompilerServices;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>
/// The filter: the pod's cpu, memory and one more pod fit in what the node's allocatable leaves after the pods on it.
/// The score: LeastAllocated, the default strategy, which prefers the emptiest node (cpu and memory weighted 1 each).
/// </summary>
public sealed class NodeResourcesFit : IFilterPlugin, IScorePlugin
{
    public const string TooManyPods = "Too many pods";
    public const string InsufficientCpu = "Insufficient cpu";
    public const string InsufficientMemory = "Insufficient memory";

    private static readonly string[] OnlyTooManyPods = [TooManyPods];
    private static readonly string[] OnlyCpu = [InsufficientCpu];
    private static readonly string[] OnlyMemory = [InsufficientMemory];
    private static readonly string[] CpuAndMemory = [InsufficientCpu, InsufficientMemory];
    private static readonly string[] PodsAndCpu = [TooManyPods, InsufficientCpu];
    private static readonly string[] PodsAndMemory = [TooManyPods, InsufficientMemory];
    private static readonly string[] All = [TooManyPods, InsufficientCpu, InsufficientMemory];

    public string Name => nameof(NodeResourcesFit);

    public int Weight => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<string>? Filter(PodInfo pod, NodeInfo node)
    {
        var pods = node.PodCount + 1 > node.AllowedPodNumber;
        var request = pod.Requests;
        var free = node.Allocatable - node.Requested;
        var cpu = request.MilliCpu > 0 && request.MilliCpu > free.MilliCpu;
        var memory = request.Memory > 0 && request.Memory > free.Memory;
        return (pods, cpu, memory) switch
        {
            (false, false, false) => null,
            (true, false, false) => OnlyTooManyPods,
            (false, true, false) => OnlyCpu,
            (false, false, true) => OnlyMemory,
            (false, true, true) => CpuAndMemory,
            (true, true, false) => PodsAndCpu,
            (true, false, true) => PodsAndMemory,
            (true, true, true) => All,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Score(PodInfo pod, NodeInfo node)
    {
        var requested = node.NonZeroRequested + pod.NonZeroRequests;
        return (LeastRequested(requested.MilliCpu, node.Allocatable.MilliCpu) + LeastRequested(requested.Memory, node.Allocatable.Memory)) / 2;
    }

    internal static long LeastRequested(long requested, long capacity) =>
        capacity == 0 || requested > capacity ? 0 : (capacity - requested) * IScorePlugin.MaxNodeScore / capacity;
}
