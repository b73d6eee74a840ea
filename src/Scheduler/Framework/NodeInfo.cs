using MiniKube.Api.Core;

namespace MiniKube.Scheduler.Framework;

/// <summary>
/// A node and the pods on it (framework.NodeInfo), with the sums the filters and scores read. Owned by the
/// SchedulerCache and changed only under its lock; Node is null for a node deleted while pods remain on it.
/// </summary>
public sealed class NodeInfo(string name)
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly Dictionary<string, PodInfo> _pods = [];
    private readonly Dictionary<string, int> _spreadCounts = [];

    public string Name { get; } = name;

    public Node? Node { get; private set; }

    public IReadOnlyDictionary<string, string> Labels { get; private set; } = NoLabels;

    public IReadOnlyList<Taint> Taints { get; private set; } = [];

    public bool Unschedulable { get; private set; }

    public Resource Allocatable { get; private set; }

    /// <summary>status.allocatable.pods.</summary>
    public long AllowedPodNumber { get; private set; }

    /// <summary>The sum of the requests of the pods on the node.</summary>
    public Resource Requested { get; private set; }

    /// <summary>As Requested, with defaults for containers that request nothing.</summary>
    public Resource NonZeroRequested { get; private set; }

    public int PodCount => _pods.Count;

    /// <summary>Bumped on every change, so a test or a snapshot can tell whether it moved.</summary>
    public long Generation { get; private set; }

    public IEnumerable<PodInfo> Pods => _pods.Values;

    /// <summary>How many pods on the node share <paramref name="spreadKey"/>.</summary>
    public int CountSpread(string spreadKey) => _spreadCounts.GetValueOrDefault(spreadKey);

    public bool HasPod(string key) => _pods.ContainsKey(key);

    internal void SetNode(Node? node)
    {
        Node = node;
        Labels = node?.Metadata?.Labels ?? NoLabels;
        Taints = node?.Spec?.Taints ?? [];
        Unschedulable = node?.Spec?.Unschedulable == true;
        var allocatable = node?.Status?.Allocatable;
        Allocatable = allocatable is null ? default : new Resource(PodInfo.MilliCpu(allocatable), PodInfo.Memory(allocatable));
        AllowedPodNumber = allocatable is not null && allocatable.TryGetValue("pods", out var pods) ? pods.Value : 0;
        Generation++;
    }

    internal void AddPod(PodInfo pod)
    {
        _pods[pod.Key] = pod;
        Requested += pod.Requests;
        NonZeroRequested += pod.NonZeroRequests;
        if (pod.SpreadKey is { } spread)
        {
            _spreadCounts[spread] = _spreadCounts.GetValueOrDefault(spread) + 1;
        }

        Generation++;
    }

    internal bool RemovePod(string key)
    {
        if (!_pods.Remove(key, out var pod))
        {
            return false;
        }

        Requested -= pod.Requests;
        NonZeroRequested -= pod.NonZeroRequests;
        if (pod.SpreadKey is { } spread)
        {
            var left = _spreadCounts[spread] - 1;
            if (left == 0)
            {
                _spreadCounts.Remove(spread);
            }
            else
            {
                _spreadCounts[spread] = left;
            }
        }

        Generation++;
        return true;
    }
}
