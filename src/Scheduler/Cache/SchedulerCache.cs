using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Cache;

/// <summary>
/// The scheduler's view of nodes and of the pods on them (pkg/scheduler/backend/cache). A pod the scheduler has
/// chosen a node for is ASSUMED on it at once, so the next pod sees the room taken while the binding is still in
/// flight; the informer's add of the bound pod confirms the assumption, a failed binding forgets it. Every member
/// takes <see cref="Lock"/>; the scheduling thread holds it for a whole cycle so the nodes do not change under it.
/// </summary>
public sealed class SchedulerCache
{
    private readonly Dictionary<string, NodeInfo> _nodes = [];
    private readonly Dictionary<string, PodState> _pods = [];
    private readonly List<NodeInfo> _nodeList = [];
    private bool _nodeListDirty;

    public Lock Lock { get; } = new();

    public int NodeCount
    {
        get
        {
            lock (Lock)
            {
                return NodeListLocked().Count;
            }
        }
    }

    public int AssumedPodCount
    {
        get
        {
            lock (Lock)
            {
                return _pods.Values.Count(p => p.Assumed);
            }
        }
    }

    /// <summary>The nodes that exist, in the order they were added. Caller must hold <see cref="Lock"/> for as long as it reads the list.</summary>
    public IReadOnlyList<NodeInfo> NodeListLocked()
    {
        if (_nodeListDirty)
        {
            _nodeList.Clear();
            foreach (var node in _nodes.Values)
            {
                if (node.Node is not null)
                {
                    _nodeList.Add(node);
                }
            }

            _nodeListDirty = false;
        }

        return _nodeList;
    }

    public NodeInfo? GetNode(string name)
    {
        lock (Lock)
        {
            return _nodes.GetValueOrDefault(name);
        }
    }

    public void AddNode(Node node)
    {
        lock (Lock)
        {
            var name = node.Metadata?.Name ?? "";
            if (!_nodes.TryGetValue(name, out var info))
            {
                info = new NodeInfo(name);
                _nodes[name] = info;
            }

            info.SetNode(node);
            _nodeListDirty = true;
        }
    }

    public void UpdateNode(Node node) => AddNode(node);

    /// <summary>Removes the node; its NodeInfo stays (out of the node list) while pods are still on it, as in Kubernetes.</summary>
    public void RemoveNode(Node node)
    {
        lock (Lock)
        {
            var name = node.Metadata?.Name ?? "";
            if (_nodes.TryGetValue(name, out var info))
            {
                info.SetNode(null);
                if (info.PodCount == 0)
                {
                    _nodes.Remove(name);
                }

                _nodeListDirty = true;
            }
        }
    }

    /// <summary>Places <paramref name="pod"/> (whose NodeName is the chosen node) on its node until the binding is confirmed or forgotten.</summary>
    public void AssumePod(PodInfo pod)
    {
        lock (Lock)
        {
            if (_pods.ContainsKey(pod.Key))
            {
                throw new InvalidOperationException($"pod {pod.Key} is in the cache, so can't be assumed");
            }

            AddPodLocked(pod);
            _pods[pod.Key] = new PodState(pod, Assumed: true);
        }
    }

    /// <summary>Undoes an assumption after a failed binding.</summary>
    public void ForgetPod(PodInfo pod)
    {
        lock (Lock)
        {
            if (_pods.TryGetValue(pod.Key, out var state) && state.Assumed)
            {
                if (state.Pod.NodeName != pod.NodeName)
                {
                    throw new InvalidOperationException($"pod {pod.Key} was assumed on {pod.NodeName} but assigned to {state.Pod.NodeName}");
                }

                RemovePodLocked(state.Pod);
                _pods.Remove(pod.Key);
            }
        }
    }

    public bool IsAssumedPod(string key)
    {
        lock (Lock)
        {
            return _pods.TryGetValue(key, out var state) && state.Assumed;
        }
    }

    /// <summary>The node the pod is on or assumed on, or null when the cache does not hold it.</summary>
    public string? NodeOf(string key)
    {
        lock (Lock)
        {
            return _pods.TryGetValue(key, out var state) ? state.Pod.NodeName : null;
        }
    }

    /// <summary>An assigned pod seen by the informer; confirms the assumption when the scheduler had assumed it.</summary>
    public void AddPod(Pod pod)
    {
        var info = new PodInfo(pod);
        lock (Lock)
        {
            if (_pods.TryGetValue(info.Key, out var state))
            {
                // Confirmed (or re-added): the informer's pod replaces the assumed one, on whichever node it really got.
                RemovePodLocked(state.Pod);
            }

            AddPodLocked(info);
            _pods[info.Key] = new PodState(info, Assumed: false);
        }
    }

    public void UpdatePod(Pod pod) => AddPod(pod);

    public void RemovePod(Pod pod)
    {
        var key = new PodInfo(pod).Key;
        lock (Lock)
        {
            if (_pods.Remove(key, out var state))
            {
                RemovePodLocked(state.Pod);
            }
        }
    }

    private void AddPodLocked(PodInfo pod)
    {
        if (!_nodes.TryGetValue(pod.NodeName, out var node))
        {
            // The pod's node is not known yet (pods may arrive before nodes): hold the pod on a node with no Node.
            node = new NodeInfo(pod.NodeName);
            _nodes[pod.NodeName] = node;
        }

        node.AddPod(pod);
    }

    private void RemovePodLocked(PodInfo pod)
    {
        if (_nodes.TryGetValue(pod.NodeName, out var node))
        {
            node.RemovePod(pod.Key);
            if (node.Node is null && node.PodCount == 0)
            {
                _nodes.Remove(pod.NodeName);
            }
        }
    }

    private readonly record struct PodState(PodInfo Pod, bool Assumed);
}
