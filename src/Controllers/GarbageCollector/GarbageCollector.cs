using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Queues;
using MiniKube.Controllers.Common;

namespace MiniKube.Controllers.GarbageCollector;

/// <summary>
/// kube-controller-manager's garbage collector (k8s' pkg/controller/garbagecollector). Informers on the kinds
/// that have or are owners feed a graph of ownerReferences by uid; from its changes the attemptToDelete queue
/// gets objects whose owners may be gone or deleting in the foreground, and the attemptToOrphan queue gets owners
/// deleted with propagationPolicy=Orphan. Background: an object whose owners are all gone is deleted (with the
/// policy its own finalizers ask for). Foreground: the owner keeps its foregroundDeletion finalizer until its
/// blocking dependents are gone, and they are deleted in the foreground in turn. Orphan: the owner's references
/// are removed from its dependents, then its orphan finalizer.
/// </summary>
public sealed partial class GarbageCollector : IController
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    private readonly KubeClient _client;
    private readonly Dictionary<string, GraphNode> _uidToNode = [];
    private readonly Lock _graph = new();
    private readonly List<Func<CancellationToken, Task<bool>>> _syncs = [];
    private bool _synced;

    public GarbageCollector(KubeClient client, SharedInformerFactory informers, TimeProvider time)
    {
        _client = client;
        AttemptToDelete = new RateLimitingQueue<string>(timeProvider: time);
        AttemptToOrphan = new RateLimitingQueue<string>(timeProvider: time);
        Monitor(informers.For<Pod>(), "v1", "Pod");
        Monitor(informers.For<Api.Apps.ReplicaSet>(), "apps/v1", "ReplicaSet");
        Monitor(informers.For<Deployment>(), "apps/v1", "Deployment");
        Monitor(informers.For<ConfigMap>(), "v1", "ConfigMap");
        Monitor(informers.For<Secret>(), "v1", "Secret");
        Monitor(informers.For<Service>(), "v1", "Service");
    }

    public string Name => "garbagecollector";

    /// <summary>Uids of objects to check: are their owners gone, or deleting in the foreground?</summary>
    public RateLimitingQueue<string> AttemptToDelete { get; }

    /// <summary>Uids of owners being deleted with the orphan finalizer.</summary>
    public RateLimitingQueue<string> AttemptToOrphan { get; }

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        foreach (var sync in _syncs)
        {
            if (!await sync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        MarkSynced();
        await Task.WhenAll(
            WorkerLoop.RunAsync(Name, AttemptToDelete, workers, AttemptToDeleteItemAsync, cancellationToken),
            WorkerLoop.RunAsync(Name, AttemptToOrphan, workers, AttemptToOrphanItemAsync, cancellationToken)).ConfigureAwait(false);
    }

    private void Monitor<T>(SharedInformer<T> informer, string apiVersion, string kind)
        where T : class, IKubernetesObject
    {
        _syncs.Add(informer.WaitForCacheSyncAsync);
        informer.AddEventHandler(
            onAdd: o => ProcessGraphChange(o.Metadata, apiVersion, kind, deleted: false),
            onUpdate: (_, o) => ProcessGraphChange(o.Metadata, apiVersion, kind, deleted: false),
            onDelete: o => ProcessGraphChange(o.Metadata, apiVersion, kind, deleted: true));
    }

    /// <summary>Once every informer has listed, every object whose owner no informer showed is checked.</summary>
    private void MarkSynced()
    {
        lock (_graph)
        {
            _synced = true;
            foreach (var node in _uidToNode.Values.Where(n => n.Observed))
            {
                if (node.Owners.Any(o => !IsObserved(o.Uid)))
                {
                    AttemptToDelete.Add(node.Uid);
                }
            }
        }
    }

    /// <summary>Caller must hold the graph lock.</summary>
    private bool IsObserved(string? uid) => uid is not null && _uidToNode.TryGetValue(uid, out var n) && n.Observed;
}
