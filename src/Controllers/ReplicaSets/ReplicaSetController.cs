using MiniKube.Api.Core;
using MiniKube.Api.Selectors;
using MiniKube.Api.Serialization;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Client.Queues;
using MiniKube.Controllers.Common;
using Rs = MiniKube.Api.Apps.ReplicaSet;

namespace MiniKube.Controllers.ReplicaSets;

/// <summary>
/// Keeps each ReplicaSet's pods at spec.replicas (k8s' pkg/controller/replicaset). Pods are created in slow-start
/// batches and deleted in rank order, at most <see cref="BurstReplicas"/> per sync; expectations keep a ReplicaSet
/// from being synced again before the informer has shown what its last sync did. Orphans the selector matches are
/// adopted, owned pods it no longer matches are released. Status goes through the status subresource.
/// </summary>
public sealed partial class ReplicaSetController : IController
{
    /// <summary>k8s' BurstReplicas: the most pods one sync creates or deletes.</summary>
    public const int BurstReplicas = 500;

    public const string ApiVersion = "apps/v1";
    public const string Kind = "ReplicaSet";

    private readonly KubeClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly Lister<Rs> _rsLister;
    private readonly Lister<Pod> _podLister;
    private readonly SharedInformer<Rs> _rsInformer;
    private readonly SharedInformer<Pod> _podInformer;

    public ReplicaSetController(KubeClient client, SharedInformerFactory informers, EventRecorder events, TimeProvider time)
    {
        _client = client;
        _events = events;
        _time = time;
        Expectations = new ControllerExpectations(time);
        Queue = new RateLimitingQueue<string>(timeProvider: time);
        _rsInformer = informers.For<Rs>();
        _podInformer = informers.For<Pod>();
        _rsLister = _rsInformer.Lister;
        _podLister = _podInformer.Lister;
        _rsInformer.AddEventHandler(onAdd: Enqueue, onUpdate: UpdateReplicaSet, onDelete: DeleteReplicaSet);
        _podInformer.AddEventHandler(onAdd: AddPod, onUpdate: UpdatePod, onDelete: DeletePod);
    }

    public string Name => "replicaset";

    public ControllerExpectations Expectations { get; }

    public RateLimitingQueue<string> Queue { get; }

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        if (!await _rsInformer.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false)
            || !await _podInformer.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await WorkerLoop.RunAsync(Name, Queue, workers, SyncAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One reconciliation of the ReplicaSet <paramref name="key"/> (syncReplicaSet).</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var rs = _rsLister.Get(ns, name);
        if (rs is null)
        {
            Expectations.DeleteExpectations(key);
            return;
        }

        var needsSync = Expectations.SatisfiedExpectations(key);
        var selector = Selector.FromLabelSelector(rs.Spec?.Selector is null ? null : ApiJson.ToNode(rs.Spec.Selector));
        var active = _podLister.List(ns).Where(PodUtil.IsActive).ToList();
        var manager = new ControllerRefManager<Pod>(_client, rs, ApiVersion, Kind, selector, ct => CanAdoptAsync(rs, ct));
        var pods = await manager.ClaimAsync(active, cancellationToken).ConfigureAwait(false);

        Exception? manageError = null;
        if (needsSync && rs.Metadata?.DeletionTimestamp is null)
        {
            try
            {
                await ManageReplicasAsync(pods, rs, key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or AggregateException)
            {
                manageError = e;
            }
        }

        var status = CalculateStatus(rs, pods, manageError);
        var updated = await UpdateStatusAsync(rs, status, cancellationToken).ConfigureAwait(false);
        var minReady = updated.Spec?.MinReadySeconds ?? 0;
        if (manageError is null && minReady > 0 && updated.Status?.ReadyReplicas == (updated.Spec?.Replicas ?? 1)
            && updated.Status?.AvailableReplicas != (updated.Spec?.Replicas ?? 1))
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (manageError is not null)
        {
            throw manageError;
        }
    }

    /// <summary>k8s' RecheckDeletionTimestamp: adopt only for a live ReplicaSet with the uid the cache showed.</summary>
    private async Task<bool> CanAdoptAsync(Rs rs, CancellationToken cancellationToken)
    {
        var fresh = await _client.GetAsync<Rs>(rs.Metadata?.Namespace, rs.Metadata?.Name ?? "", cancellationToken).ConfigureAwait(false);
        return fresh.Metadata?.Uid == rs.Metadata?.Uid && fresh.Metadata?.DeletionTimestamp is null;
    }
}
