using MiniKube.Grpc;
using MiniKube.Store.Consensus;
using Prometheus;

namespace MiniKube.Store.Server;

/// <summary>
/// A member's Prometheus metrics, under the names etcd gives them, so that the dashboards and
/// alerts written for etcd in Kubernetes (fsync latency, db size, revision, leader) read MiniKube
/// unchanged. Each member has its own registry: several members can share one process in tests.
/// Most values are read from the member when scraped; only latencies are observed as they happen.
/// </summary>
public sealed class StoreMetrics : IGrpcCallObserver, IRaftHostObserver
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _grpcStarted;
    private readonly Counter _grpcHandled;
    private readonly Histogram _loopWakeupSeconds;
    private readonly Histogram _saveSeconds;
    private readonly Histogram _saveEntries;
    private readonly Histogram _applySeconds;
    private readonly Histogram _applyEntries;
    private readonly Histogram _proposalSeconds;

    public StoreMetrics()
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        // etcd's buckets: 1 ms doubling to 8 s.
        WalFsyncSeconds = factory.CreateHistogram(
            "etcd_disk_wal_fsync_duration_seconds",
            "The latency distributions of fsync called by WAL (in MiniKube: the synced flush of RocksDB's write-ahead log, once per group of writes).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        BackendCommitSeconds = factory.CreateHistogram(
            "etcd_disk_backend_commit_duration_seconds",
            "The latency distributions of commit called by backend (in MiniKube: the unsynced RocksDB write of applied entries; the Raft log's fsync makes them durable).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });

        // MiniKube's own, for the stages between the client and the apply that etcd does not
        // measure: microsecond buckets, since at one client each stage is a fraction of a millisecond.
        var microseconds = new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00001, 2, 18) };
        var entries = new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 12) };
        _loopWakeupSeconds = factory.CreateHistogram(
            "minikube_raft_loop_wakeup_seconds",
            "Time from a command queued for the idle Raft loop to the loop taking it (one thread hand-off).",
            microseconds);
        _saveSeconds = factory.CreateHistogram("minikube_raft_save_duration_seconds", "Time to persist one Ready (entries and hard state), synced or not.", microseconds);
        _saveEntries = factory.CreateHistogram("minikube_raft_save_entries", "Entries appended to the Raft log per Ready.", entries);
        _applySeconds = factory.CreateHistogram("minikube_raft_apply_duration_seconds", "Time to apply the committed entries of one Ready.", microseconds);
        _applyEntries = factory.CreateHistogram("minikube_raft_apply_entries", "Committed entries applied per Ready.", entries);
        _proposalSeconds = factory.CreateHistogram(
            "minikube_raft_proposal_duration_seconds",
            "Time from a proposal made on this member to its result (committed and applied here), forwarding to the leader included.",
            microseconds);

        // grpc-go's Prometheus interceptors, as etcd registers them; labels in their order.
        _grpcStarted = factory.CreateCounter("grpc_server_started_total", "Total number of RPCs started on the server.", ["grpc_method", "grpc_service", "grpc_type"]);
        _grpcHandled = factory.CreateCounter("grpc_server_handled_total", "Total number of RPCs completed on the server, regardless of success or failure.", ["grpc_code", "grpc_method", "grpc_service", "grpc_type"]);
        DotNetStats.Register(_registry);
    }

    void IGrpcCallObserver.CallStarted(string service, string method, GrpcMethodType type) =>
        _grpcStarted.WithLabels(method, service, TypeLabel(type)).Inc();

    void IGrpcCallObserver.CallFinished(string service, string method, GrpcMethodType type, StatusCode code) =>
        _grpcHandled.WithLabels(CodeLabel(code), method, service, TypeLabel(type)).Inc();

    private static string TypeLabel(GrpcMethodType type) => type switch
    {
        GrpcMethodType.Unary => "unary",
        GrpcMethodType.ServerStream => "server_stream",
        _ => "bidi_stream",
    };

    /// <summary>Go's names of the codes (codes.Code.String()), which differ from ours in one spelling.</summary>
    private static string CodeLabel(StatusCode code) => code switch
    {
        StatusCode.Cancelled => "Canceled",
        _ => code.ToString(),
    };

    /// <summary>Observed by the writer around each sync.</summary>
    public Histogram WalFsyncSeconds { get; }

    /// <summary>Observed by the writer around each write of applied entries to the backend.</summary>
    public Histogram BackendCommitSeconds { get; }

    void IRaftHostObserver.WokeUp(TimeSpan delay) => _loopWakeupSeconds.Observe(delay.TotalSeconds);

    void IRaftHostObserver.Saved(int entries, bool synced, TimeSpan elapsed)
    {
        if (synced)
        {
            WalFsyncSeconds.Observe(elapsed.TotalSeconds);
        }

        _saveSeconds.Observe(elapsed.TotalSeconds);
        _saveEntries.Observe(entries);
    }

    void IRaftHostObserver.Applied(int entries, TimeSpan elapsed)
    {
        _applySeconds.Observe(elapsed.TotalSeconds);
        _applyEntries.Observe(entries);
    }

    void IRaftHostObserver.Proposed(TimeSpan elapsed) => _proposalSeconds.Observe(elapsed.TotalSeconds);

    /// <summary>Registers the gauges and counters read from <paramref name="server"/> at each scrape.</summary>
    public void Attach(StoreServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var factory = Metrics.WithCustomRegistry(_registry);

        Constant(factory, "etcd_server_version", "Which version is running. 1 for 'server_version' label with current version.", "server_version", StoreServer.Version);
        Constant(factory, "etcd_cluster_version", "Which version is running. 1 for 'cluster_version' label with current cluster version", "cluster_version", StoreServer.ClusterMinorVersion);
        Constant(factory, "etcd_server_id", "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.", "server_id", server.Identity.MemberId.ToString("x")); // unpadded, as etcd prints a types.ID

        var hasLeader = factory.CreateGauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.");
        var isLeader = factory.CreateGauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.");
        factory.CreateGauge("etcd_server_is_learner", "Whether or not this member is a learner. 1 if is, 0 otherwise.").Set(0);

        var committed = factory.CreateGauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.");
        var applied = factory.CreateGauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.");
        var quota = factory.CreateGauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.");
        var dbSize = factory.CreateGauge("etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.");
        var dbInUse = factory.CreateGauge("etcd_mvcc_db_total_size_in_use_in_bytes", "Total size of the underlying database logically in use in bytes.");
        var revision = factory.CreateGauge("etcd_debugging_mvcc_current_revision", "The current revision of store.");
        var compacted = factory.CreateGauge("etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store.");
        var watchers = factory.CreateGauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers.");
        var slowWatchers = factory.CreateGauge("etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.");
        var leases = factory.CreateGauge("etcd_debugging_lease_total", "Leases granted and not yet revoked or expired (MiniKube's own: etcd counts grants and revocations).");
        var noSpace = factory.CreateGauge("etcd_server_alarm_nospace", "Whether the NOSPACE alarm is raised: 1 if it is, 0 otherwise (MiniKube's own).");
        var ranges = factory.CreateCounter("etcd_mvcc_range_total", "Total number of ranges seen by this member.");
        var puts = factory.CreateCounter("etcd_mvcc_put_total", "Total number of puts seen by this member.");
        var deletes = factory.CreateCounter("etcd_mvcc_delete_total", "Total number of deletes seen by this member.");
        var txns = factory.CreateCounter("etcd_mvcc_txn_total", "Total number of txns seen by this member.");
        // The runtime's counterpart of Go's go_goroutines and go_threads: how much the member leans
        // on thread-pool hand-offs (work items per request) and how many workers it keeps.
        var poolThreads = factory.CreateGauge("dotnet_threadpool_threads", "Number of thread-pool threads that currently exist.");
        var poolItems = factory.CreateCounter("dotnet_threadpool_completed_items_total", "Number of work items the thread pool has completed.");
        var poolQueue = factory.CreateGauge("dotnet_threadpool_queue_length", "Number of work items queued to the thread pool and not yet started.");

        _registry.AddBeforeCollectCallback(() =>
        {
            var mvcc = server.Mvcc;
            hasLeader.Set(server.Raft.Leader != 0 ? 1 : 0);
            isLeader.Set(server.Raft.IsLeader ? 1 : 0);
            committed.Set(server.Raft.CommitIndex);
            applied.Set(server.Raft.AppliedIndex);
            quota.Set(server.Options.ResolvedQuotaBytes);
            dbSize.Set(server.Backend.SizeBytes);
            dbInUse.Set(server.Backend.SizeInUseBytes);
            revision.Set(mvcc.Revision);
            compacted.Set(Math.Max(0, mvcc.CompactRevision)); // etcd: 0 until the first compaction
            watchers.Set(server.WatchHub.WatcherCount);
            slowWatchers.Set(server.WatchHub.UnsyncedWatcherCount);
            leases.Set(server.Lessor.Count);
            noSpace.Set(server.NoSpaceAlarm ? 1 : 0);
            var counts = server.Applier.Counts;
            ranges.IncTo(counts.Ranges);
            puts.IncTo(counts.Puts);
            deletes.IncTo(counts.Deletes);
            txns.IncTo(counts.Txns);
            poolThreads.Set(ThreadPool.ThreadCount);
            poolItems.IncTo(ThreadPool.CompletedWorkItemCount);
            poolQueue.Set(ThreadPool.PendingWorkItemCount);
        });
    }

    /// <summary>Writes every metric in Prometheus' text format (version 0.0.4).</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    /// <summary>etcd's idiom for a string value: a gauge fixed at 1, the value in a label.</summary>
    private static void Constant(MetricFactory factory, string name, string help, string label, string value) =>
        factory.CreateGauge(name, help, [label]).WithLabels(value).Set(1);
}
