using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Controllers.Common;

namespace MiniKube.Controllers.NodeLifecycle;

/// <summary>
/// k8s' node lifecycle controller with its taint-based eviction. Every monitor period it looks at each Node and its
/// Lease in kube-node-lease: a node whose lease (or Ready heartbeat) has not moved, on this controller's clock, for
/// the grace period gets Ready (and the pressure conditions) set to Unknown, "Kubelet stopped posting node
/// status.", and the node.kubernetes.io/unreachable:NoExecute taint; a node reporting Ready=False gets
/// node.kubernetes.io/not-ready:NoExecute. Once the lease is renewed the unreachable taint goes. Pods on a node with
/// NoExecute taints are deleted when their tolerations run out (at once when they tolerate a taint not at all).
/// </summary>
public sealed class NodeLifecycleController : IController
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string NodeLeaseNamespace = "kube-node-lease";

    private static readonly string[] ConditionsSetUnknown = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    private readonly KubeClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly TimeSpan _gracePeriod;
    private readonly SharedInformer<Node> _nodes;
    private readonly SharedInformer<Lease> _leases;
    private readonly SharedInformer<Pod> _pods;
    private readonly Dictionary<string, Health> _health = [];

    public NodeLifecycleController(KubeClient client, SharedInformerFactory informers, EventRecorder events, TimeProvider time, TimeSpan nodeMonitorGracePeriod)
    {
        _client = client;
        _events = events;
        _time = time;
        _gracePeriod = nodeMonitorGracePeriod;
        _nodes = informers.For<Node>();
        _leases = informers.For<Lease>();
        _pods = informers.For<Pod>();
    }

    public string Name => "nodelifecycle";

    /// <summary>k8s' --node-monitor-period is 5 s; shorter when the grace period is short, so a test need not wait.</summary>
    public TimeSpan MonitorPeriod => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, _gracePeriod.Ticks / 4));

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        if (!await _nodes.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false)
            || !await _leases.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false)
            || !await _pods.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await MonitorAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(MonitorPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
            {
                await Console.Error.WriteLineAsync($"{Name}: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass over every node (monitorNodeHealth, then the NoExecute tainting and eviction passes).</summary>
    public async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var nodes = _nodes.Lister.List();
        var podsByNode = _pods.Lister.List().Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)).ToLookup(p => p.Spec!.NodeName!);
        foreach (var gone in _health.Keys.Except(nodes.Select(n => n.Metadata?.Name ?? "")).ToList())
        {
            _health.Remove(gone);
        }

        foreach (var cached in nodes)
        {
            var name = cached.Metadata?.Name ?? "";
            var stale = Observe(cached, now);
            var node = stale ? await MarkUnknownAsync(cached, now, cancellationToken).ConfigureAwait(false) : cached;
            var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
            var want = stale ? UnreachableTaint : ready == "False" ? NotReadyTaint : null;
            node = await EnsureTaintsAsync(node, want, now, cancellationToken).ConfigureAwait(false);
            await EvictAsync(node, podsByNode[name], now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Notes a renewed lease or heartbeat; true when neither has moved for the grace period. A node seen first gets a full grace period.</summary>
    private bool Observe(Node node, DateTimeOffset now)
    {
        var name = node.Metadata?.Name ?? "";
        var renew = _leases.Lister.Get(NodeLeaseNamespace, name)?.Spec?.RenewTime;
        var heartbeat = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.LastHeartbeatTime;
        if (!_health.TryGetValue(name, out var health))
        {
            _health[name] = new Health(now, renew, heartbeat);
            return false;
        }

        if (renew != health.LeaseRenewTime || heartbeat != health.Heartbeat)
        {
            _health[name] = new Health(now, renew, heartbeat);
            return false;
        }

        return now - health.ProbeTimestamp > _gracePeriod;
    }

    private async Task<Node> MarkUnknownAsync(Node cached, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var conditions = cached.Status?.Conditions ?? [];
        var neverPosted = conditions.All(c => c.Type != "Ready");
        if (!neverPosted && conditions.Where(c => ConditionsSetUnknown.Contains(c.Type)).All(c => c.Status == "Unknown"))
        {
            return cached;
        }

        var node = ControllerRefs.DeepCopy(cached);
        node.Status ??= new NodeStatus();
        node.Status.Conditions ??= [];
        foreach (var type in ConditionsSetUnknown)
        {
            var condition = node.Status.Conditions.FirstOrDefault(c => c.Type == type);
            if (condition is null)
            {
                node.Status.Conditions.Add(new NodeCondition
                {
                    Type = type,
                    Status = "Unknown",
                    Reason = "NodeStatusNeverUpdated",
                    Message = "Kubelet never posted node status.",
                    LastHeartbeatTime = node.Metadata?.CreationTimestamp,
                    LastTransitionTime = now,
                });
            }
            else if (condition.Status != "Unknown")
            {
                condition.Status = "Unknown";
                condition.Reason = "NodeStatusUnknown";
                condition.Message = "Kubelet stopped posting node status.";
                condition.LastTransitionTime = now;
            }
        }

        var updated = await _client.UpdateStatusAsync(node, cancellationToken).ConfigureAwait(false);
        _ = _events.Event(updated, EventRecorder.Normal, "NodeNotReady", $"Node {updated.Metadata?.Name} status is now: NodeNotReady");
        return updated;
    }

    /// <summary>Leaves exactly <paramref name="wanted"/> (or neither) of the two NoExecute taints this controller owns.</summary>
    private async Task<Node> EnsureTaintsAsync(Node node, string? wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taints = node.Spec?.Taints ?? [];
        bool Owned(Taint t) => t.Effect == "NoExecute" && t.Key is UnreachableTaint or NotReadyTaint;
        var has = taints.Where(Owned).Select(t => t.Key).ToList();
        if (wanted is null ? has.Count == 0 : has is [var only] && only == wanted)
        {
            return node;
        }

        var copy = ControllerRefs.DeepCopy(node);
        copy.Spec ??= new NodeSpec();
        var kept = taints.Where(t => !Owned(t)).Select(ControllerRefs.DeepCopy).ToList();
        if (wanted is not null)
        {
            kept.Add(taints.FirstOrDefault(t => Owned(t) && t.Key == wanted) is { } existing
                ? ControllerRefs.DeepCopy(existing)
                : new Taint { Key = wanted, Effect = "NoExecute", TimeAdded = now });
        }

        copy.Spec.Taints = kept.Count == 0 ? null : kept;
        return await _client.UpdateAsync(copy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The taint manager: deletes each pod whose tolerations of the node's NoExecute taints have run out.</summary>
    private async Task EvictAsync(Node node, IEnumerable<Pod> pods, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taints = (node.Spec?.Taints ?? []).Where(t => t.Effect == "NoExecute").ToList();
        if (taints.Count == 0)
        {
            return;
        }

        var since = taints.Max(t => t.TimeAdded ?? now);
        foreach (var pod in pods.Where(p => p.Metadata?.DeletionTimestamp is null))
        {
            var tolerated = Tolerations.MinTolerationTime(pod.Spec?.Tolerations, taints);
            if (tolerated is not { } duration || since + duration > now)
            {
                continue;
            }

            try
            {
                await _client.DeleteAsync<Pod>(pod.Metadata?.Namespace, pod.Metadata?.Name ?? "", cancellationToken: cancellationToken).ConfigureAwait(false);
                _ = _events.Event(pod, EventRecorder.Normal, "TaintManagerEviction", $"Marking for deletion Pod {pod.Metadata?.Namespace}/{pod.Metadata?.Name}");
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        }
    }

    private sealed record Health(DateTimeOffset ProbeTimestamp, DateTimeOffset? LeaseRenewTime, DateTimeOffset? Heartbeat);
}
