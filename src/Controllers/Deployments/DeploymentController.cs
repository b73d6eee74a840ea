using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Selectors;
using MiniKube.Api.Serialization;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Client.Queues;
using MiniKube.Controllers.Common;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>
/// kube-controller-manager's deployment controller (pkg/controller/deployment): rolls a Deployment's pod template
/// out through ReplicaSets named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>, by RollingUpdate or Recreate,
/// scales them proportionally, keeps revisionHistoryLimit old ones and reports status and conditions. This file
/// holds the informer wiring, the work queue and syncDeployment; the partial files hold sync.go, rolling.go,
/// recreate.go and progress.go.
/// </summary>
public sealed partial class DeploymentController : IController, IDisposable
{
    // Kubernetes' maxRetries: after this many failed syncs a key is dropped until the next change brings it back.
    private const int MaxRetries = 15;

    private const string ControllerKind = "Deployment";
    private const string ControllerApiVersion = "apps/v1";

    private readonly KubeClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly SharedInformer<DeploymentObject> _deployments;
    private readonly SharedInformer<ReplicaSet> _replicaSets;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformerFactory _informers;
    private readonly RateLimitingQueue<string> _queue;

    public DeploymentController(KubeClient client, SharedInformerFactory informers, EventRecorder events, TimeProvider time)
    {
        _client = client;
        _events = events;
        _time = time;
        _informers = informers;
        _queue = new RateLimitingQueue<string>(timeProvider: time);
        _deployments = informers.For<DeploymentObject>();
        _replicaSets = informers.For<ReplicaSet>();
        _pods = informers.For<Pod>();

        _deployments.AddEventHandler(Enqueue, (_, cur) => Enqueue(cur), Enqueue);
        _replicaSets.AddEventHandler(AddReplicaSet, UpdateReplicaSet, DeleteReplicaSet);
        _pods.AddEventHandler(onDelete: DeletePod);
    }

    public string Name => "deployment";

    /// <summary>Where failed syncs are reported (klog's error log in Kubernetes); standard error by default.</summary>
    public Action<string> Log { get; set; } = message => Console.Error.WriteLine(message);

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(_queue.ShutDown);
        try
        {
            if (!await _informers.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await WorkerLoop.RunAsync(Name, _queue, workers, SyncDeploymentAsync, cancellationToken, MaxRetries, Log).ConfigureAwait(false);
        }
        finally
        {
            _queue.ShutDown();
        }
    }

    /// <summary>Stops the queue's delay timer; RunAsync has already shut the queue down when it returned.</summary>
    public void Dispose()
    {
        _queue.ShutDown();
        _queue.Dispose();
    }

    private void Enqueue(DeploymentObject d) => _queue.Add(ObjectKeys.KeyOf(d));

    private void EnqueueAfter(DeploymentObject d, TimeSpan after) => _queue.AddAfter(ObjectKeys.KeyOf(d), after);

    private void EnqueueRateLimited(DeploymentObject d) => _queue.AddRateLimited(ObjectKeys.KeyOf(d));

    private void AddReplicaSet(ReplicaSet rs)
    {
        if (rs.Metadata?.DeletionTimestamp is not null)
        {
            DeleteReplicaSet(rs);
            return;
        }

        if (ControllerRefOf(rs.Metadata) is { } owner)
        {
            if (ResolveControllerRef(rs.Metadata?.Namespace, owner) is { } d)
            {
                Enqueue(d);
            }

            return;
        }

        // An orphan: every Deployment that could adopt it takes a look.
        foreach (var d in DeploymentsForReplicaSet(rs))
        {
            Enqueue(d);
        }
    }

    private void UpdateReplicaSet(ReplicaSet old, ReplicaSet cur)
    {
        if (old.Metadata?.ResourceVersion == cur.Metadata?.ResourceVersion)
        {
            return;
        }

        var curRef = ControllerRefOf(cur.Metadata);
        var oldRef = ControllerRefOf(old.Metadata);
        var refChanged = oldRef?.Uid != curRef?.Uid;
        if (refChanged && oldRef is not null && ResolveControllerRef(old.Metadata?.Namespace, oldRef) is { } previous)
        {
            Enqueue(previous);
        }

        if (curRef is not null)
        {
            if (ResolveControllerRef(cur.Metadata?.Namespace, curRef) is { } d)
            {
                Enqueue(d);
            }

            return;
        }

        var labelsChanged = !LabelsEqual(old.Metadata?.Labels, cur.Metadata?.Labels);
        if (labelsChanged || refChanged)
        {
            foreach (var d in DeploymentsForReplicaSet(cur))
            {
                Enqueue(d);
            }
        }
    }

    private void DeleteReplicaSet(ReplicaSet rs)
    {
        if (ControllerRefOf(rs.Metadata) is { } owner && ResolveControllerRef(rs.Metadata?.Namespace, owner) is { } d)
        {
            Enqueue(d);
        }
    }

    /// <summary>Recreate waits for the old pods to be gone, so a pod's deletion may let its Deployment go on.</summary>
    private void DeletePod(Pod pod)
    {
        if (ControllerRefOf(pod.Metadata) is not { Kind: "ReplicaSet" } rsRef)
        {
            return;
        }

        var rs = _replicaSets.Lister.Get(pod.Metadata?.Namespace, rsRef.Name ?? "");
        if (rs is null || rs.Metadata?.Uid != rsRef.Uid || ControllerRefOf(rs.Metadata) is not { } dRef)
        {
            return;
        }

        if (ResolveControllerRef(rs.Metadata?.Namespace, dRef) is { } d && !DeploymentUtil.IsRollingUpdate(d))
        {
            Enqueue(d);
        }
    }

    private DeploymentObject? ResolveControllerRef(string? @namespace, OwnerReference controllerRef)
    {
        if (controllerRef.Kind != ControllerKind)
        {
            return null;
        }

        var d = _deployments.Lister.Get(@namespace, controllerRef.Name ?? "");
        return d is not null && d.Metadata?.Uid == controllerRef.Uid ? d : null;
    }

    /// <summary>getDeploymentsForReplicaSet: the Deployments whose (non-empty) selector matches the ReplicaSet's labels.</summary>
    private List<DeploymentObject> DeploymentsForReplicaSet(ReplicaSet rs)
    {
        if (rs.Metadata?.Labels is not { Count: > 0 } labels)
        {
            return [];
        }

        var found = new List<DeploymentObject>();
        foreach (var d in _deployments.Lister.List(rs.Metadata.Namespace ?? ""))
        {
            var selector = SelectorOf(d);
            if (selector is { Empty: false } && selector.Matches(labels))
            {
                found.Add(d);
            }
        }

        return found;
    }

    internal static OwnerReference? ControllerRefOf(ObjectMeta? metadata) => ControllerRefs.GetControllerOf(metadata);

    internal static Selector? SelectorOf(DeploymentObject d)
    {
        try
        {
            return d.Spec?.Selector is { } selector ? Selector.FromLabelSelector(ApiJson.ToNode(selector)) : Selector.Nothing;
        }
        catch (SelectorParseException)
        {
            return null;
        }
    }

    private static bool LabelsEqual(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).All(kv => b is not null && b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>syncDeployment: reconciles one Deployment, from a copy of the cached object.</summary>
    private async Task SyncDeploymentAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var cached = _deployments.Lister.Get(ns, name);
        if (cached is null)
        {
            // Deleted: the garbage collector removes its ReplicaSets through their ownerReferences.
            return;
        }

        var d = ControllerRefs.DeepCopy(cached);
        if (d.Spec?.Selector is { } s && (s.MatchLabels is null or { Count: 0 }) && (s.MatchExpressions is null or { Count: 0 }))
        {
            _ = _events.Event(d, EventRecorder.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if ((d.Status?.ObservedGeneration ?? 0) < (d.Metadata?.Generation ?? 0))
            {
                d.Status ??= new DeploymentStatus();
                d.Status.ObservedGeneration = d.Metadata?.Generation;
                await _client.UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var rsList = await GetReplicaSetsForDeploymentAsync(d, cancellationToken).ConfigureAwait(false);
        var podMap = GetPodMapForDeployment(d, rsList);

        if (d.Metadata?.DeletionTimestamp is not null)
        {
            await SyncStatusOnlyAsync(d, rsList, cancellationToken).ConfigureAwait(false);
            return;
        }

        d = await CheckPausedConditionsAsync(d, cancellationToken).ConfigureAwait(false);
        if (d.Spec?.Paused == true)
        {
            await SyncAsync(d, rsList, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await IsScalingEventAsync(d, rsList, cancellationToken).ConfigureAwait(false))
        {
            await SyncAsync(d, rsList, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (DeploymentUtil.IsRollingUpdate(d))
        {
            await RolloutRollingAsync(d, rsList, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RolloutRecreateAsync(d, rsList, podMap, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>getPodMapForDeployment: the Deployment's pods grouped by the uid of the ReplicaSet that controls them.</summary>
    private Dictionary<string, List<Pod>> GetPodMapForDeployment(DeploymentObject d, List<ReplicaSet> rsList)
    {
        var map = rsList.Where(rs => rs.Metadata?.Uid is not null).ToDictionary(rs => rs.Metadata!.Uid!, _ => new List<Pod>());
        var selector = SelectorOf(d);
        if (selector is null)
        {
            return map;
        }

        foreach (var pod in _pods.Lister.List(d.Metadata?.Namespace ?? "", selector))
        {
            if (ControllerRefOf(pod.Metadata) is { } owner && owner.Uid is not null && map.TryGetValue(owner.Uid, out var pods))
            {
                pods.Add(pod);
            }
        }

        return map;
    }
}
