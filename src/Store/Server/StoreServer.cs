using System.Security.Cryptography;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Internal;
using MiniKube.Store.Lease;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server.Membership;
using MiniKube.Store.Snapshot;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Server;

/// <summary>
/// One store member's state and machinery, wired together: backend, MVCC store, lessor, watch
/// hub, and the Raft host every write goes through. The gRPC services are thin adapters over this (as etcd's v3rpc package is
/// over its EtcdServer). It does not own a network listener: see <see cref="StoreMember"/>.
/// </summary>
public sealed class StoreServer : IAsyncDisposable
{
    /// <summary>The version reported to clients: etcd's API level, marked as MiniKube's.</summary>
    public const string Version = "3.4.0-minikube";

    /// <summary>The cluster version: the API level every member speaks, as etcd reports it.</summary>
    public const string ClusterVersion = "3.4.0";

    /// <summary>The cluster version as etcd labels its metric: major.minor.</summary>
    public const string ClusterMinorVersion = "3.4";

    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _leaseExpiryLoop;
    private readonly Task _publishLoop;
    private int _removed;
    private readonly HashSet<long> _revoking = [];
    private readonly ILogger _logger;
    private readonly Lock _alarmLock = new();
    private bool _noSpaceAlarm;

    /// <summary>
    /// Opens the member's state in <paramref name="backend"/> and starts its Raft host. A member of
    /// a new cluster whose backend holds no Raft log yet bootstraps one with the initial cluster's
    /// voters; a member alone in its cluster campaigns at once rather than wait out an election
    /// timeout (etcd fast-forwards its ticks for the same reason). <paramref name="transport"/>
    /// carries messages to the other members; none is needed for a cluster of one.
    /// </summary>
    public StoreServer(IBackend backend, StoreOptions options, TimeProvider time, ILoggerFactory loggers, IRaftTransport? transport = null, SnapshotDirectory? snapshots = null)
    {
        Options = options;
        Time = time;
        _logger = loggers.CreateLogger("store");
        Backend = backend;
        InitialMembers = options.ResolvedInitialCluster;
        Identity = ClusterIdentity.LoadOrCreate(backend, options, InitialMembers);
        Members = MemberRegistry.Load(backend);
        if (Members.IsRemoved(Identity.MemberId))
        {
            throw new StoreStartException(MembershipErrors.RemovedMessage);
        }

        Mvcc = new MvccStore(backend) { BackendCommitObserver = elapsed => Metrics.BackendCommitSeconds.Observe(elapsed.TotalSeconds) };
        Lessor = new Lessor(time, options.MinLeaseTtlSeconds);
        Lessor.Recover(Mvcc);
        Applier = new Applier(Mvcc, Lessor);
        WatchHub = new WatchHub(Mvcc, Header, options.WatchProgressNotifyInterval, time, loggers.CreateLogger("watch"));
        _noSpaceAlarm = backend.Get(BackendTable.Meta, NoSpaceAlarmKey) is not null;
        var founders = InitialMembers.Select(m => m.Id).ToList();
        if (founders.Count == 1 && founders[0] != Identity.MemberId)
        {
            // A data directory from before replication whose member was started under other
            // URLs or token: it stays the one member of its cluster, under its stored ID.
            founders = [Identity.MemberId];
        }

        if (Members.IsEmpty)
        {
            // A founding member (or a data directory from before membership was replicated): the
            // registry starts as the initial cluster, names and client URLs unknown until published.
            var initialUrls = InitialMembers.ToDictionary(m => m.Id, m => m.PeerUrls);
            Members.Seed(backend, founders.Select(id => new ClusterMember(
                id, "", [.. (initialUrls.GetValueOrDefault(id) ?? Identity.PeerUrls).Select(Services.ClusterService.Format)], [], IsLearner: false)));
        }

        var bootstrap = options.InitialClusterState == StoreOptions.ClusterStateNew ? new ConfState { Voters = { founders } } : null;
        var storage = RaftLogStorage.Open(backend, bootstrap, (ulong)Mvcc.AppliedIndex);
        var voters = storage.InitialState().ConfState.Voters;
        Raft = new RaftHost(Identity.MemberId, storage, new MvccStateMachine(Applier, WatchHub, snapshots, Members), transport ?? new NoPeerTransport(), new RaftHostOptions
        {
            TickInterval = options.HeartbeatInterval,
            ElectionTick = (int)Math.Max(1, options.ElectionTimeout / options.HeartbeatInterval),
            RequestTimeout = RequestTimeout,
            SnapshotCount = (ulong)options.SnapshotCount,
            TimeProvider = time,
            Observer = Metrics,
            FaultObserver = fault => _logger.LogCritical(fault, "the raft loop stopped: {Error}", fault.Message),
        });
        Raft.LeaderChanged += OnLeaderChanged;
        Members.Changed += OnMembersChanged;
        if (voters.Count == 1 && voters[0] == Identity.MemberId)
        {
            Raft.Campaign();
        }

        // The timer starts with the server, not whenever the thread pool gets to the loop: expiry runs on its clock's schedule from here.
        var leaseExpiryTimer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), Time);
        _leaseExpiryLoop = Task.Run(() => LeaseExpiryLoopAsync(leaseExpiryTimer));
        _publishLoop = Task.Run(PublishAsync);
        Metrics.Attach(this);
    }

    private static readonly byte[] NoSpaceAlarmKey = "alarm_nospace"u8.ToArray();

    public StoreOptions Options { get; }

    public TimeProvider Time { get; }

    public IBackend Backend { get; }

    public ClusterIdentity Identity { get; }

    public MvccStore Mvcc { get; }

    public Lessor Lessor { get; }

    public Applier Applier { get; }

    public WatchHub WatchHub { get; }

    /// <summary>The Raft host every write goes through, and linearizable reads wait on.</summary>
    public RaftHost Raft { get; }

    /// <summary>The members named by --initial-cluster (this member alone without it).</summary>
    public IReadOnlyList<RestoredMember> InitialMembers { get; }

    public StoreMetrics Metrics { get; } = new();

    /// <summary>The replicated membership: every member's IDs, URLs and published attributes.</summary>
    public MemberRegistry Members { get; }

    /// <summary>
    /// Raised once, on the Raft loop, when this member sees itself removed from the cluster: it must
    /// stop (etcd: "the member has been permanently removed from the cluster").
    /// </summary>
    public event Action? RemovedFromCluster;

    /// <summary>Serializes this member's membership changes: Raft takes one at a time.</summary>
    internal SemaphoreSlim ReconfigurationLock { get; } = new(1, 1);

    /// <summary>The Raft term this member is in.</summary>
    public ulong RaftTerm => Raft.Term;

    /// <summary>etcd's ReqTimeout: 5 s plus two election timeouts, for a proposal or a read to complete.</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(5) + (2 * Options.ElectionTimeout);

    public bool NoSpaceAlarm
    {
        get
        {
            lock (_alarmLock)
            {
                return _noSpaceAlarm;
            }
        }
    }

    /// <summary>
    /// Cancelled when the member begins to shut down, so that long-lived streams (watches,
    /// keep-alives) end at once, telling their clients to go elsewhere, instead of holding the
    /// shutdown until they time out.
    /// </summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    public void BeginShutdown() => _shutdown.Cancel();

    /// <summary>A response header for <paramref name="revision"/>, with this member's identity.</summary>
    public ResponseHeader Header(long revision) => new()
    {
        ClusterId = Identity.ClusterId,
        MemberId = Identity.MemberId,
        Revision = revision,
        RaftTerm = RaftTerm,
    };

    /// <summary>Adds this member's identity to a header the applier filled with a revision.</summary>
    public ResponseHeader Fill(ResponseHeader? header)
    {
        header ??= new ResponseHeader { Revision = Mvcc.Revision };
        header.ClusterId = Identity.ClusterId;
        header.MemberId = Identity.MemberId;
        header.RaftTerm = RaftTerm;
        return header;
    }

    /// <summary>
    /// Proposes a write through Raft and returns its response once it is committed and applied on
    /// this member, or throws its error as an RpcException. Without a known leader it waits for
    /// one, within the request timeout, as etcd's proposals wait.
    /// </summary>
    public async Task<TResponse> WriteAsync<TResponse>(InternalRequest request, CancellationToken cancellationToken)
        where TResponse : class
    {
        await WaitForLeaderIdAsync(cancellationToken).ConfigureAwait(false);
        var applied = (AppliedWrite)(await Raft.ProposeAsync(request.ToByteArray(), cancellationToken).ConfigureAwait(false))!;
        if (applied.Error is not null)
        {
            throw applied.Error;
        }

        if (applied.PhysicalCompaction is not null && request.Compaction.Physical)
        {
            await applied.PhysicalCompaction.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return (TResponse)applied.Response!;
    }

    /// <summary>
    /// The barrier before a linearizable read (etcd's linearizableReadNotify): returns once this
    /// member has applied everything the leader had committed when the read arrived.
    /// </summary>
    public async Task LinearizableReadAsync(CancellationToken cancellationToken)
    {
        await WaitForLeaderIdAsync(cancellationToken).ConfigureAwait(false);
        await Raft.ReadIndexAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Since when the stream to a peer has been up, null while down (etcd's transport ActiveSince); the property is null without a peer transport.</summary>
    public Func<ulong, DateTimeOffset?>? PeerActiveSince { get; set; }

    /// <summary>etcd's isConnectedSince: the stream to <paramref name="id"/> has been up since before <paramref name="since"/>.</summary>
    public bool IsPeerConnectedSince(ulong id, DateTimeOffset since) => PeerActiveSince?.Invoke(id) is { } active && active < since;

    /// <summary>Whether the stream to <paramref name="id"/> is up at all (etcd: ActiveSince is not zero).</summary>
    public bool IsPeerActive(ulong id) => PeerActiveSince?.Invoke(id) is not null;

    /// <summary>The leader's ID once one is known, within the request timeout ("etcdserver: no leader").</summary>
    public async Task<ulong> WaitForLeaderIdAsync(CancellationToken cancellationToken)
    {
        if (Raft.Leader is not 0 and var leader)
        {
            return leader;
        }

        try
        {
            return await Raft.WaitForLeaderAsync(cancellationToken).WaitAsync(RequestTimeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw EtcdErrors.NoLeader;
        }
    }

    /// <summary>
    /// etcd's EtcdServer.MoveLeader: asks Raft to hand leadership to <paramref name="transferee"/>
    /// and waits, polling every heartbeat, until this member sees it lead, within the request timeout.
    /// </summary>
    public async Task MoveLeaderAsync(ulong transferee, CancellationToken cancellationToken)
    {
        if (Members.Find(transferee) is null)
        {
            throw EtcdErrors.BadLeaderTransferee;
        }

        using var deadline = new CancellationTokenSource(RequestTimeout, Time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Raft.TransferLeader(transferee);
        try
        {
            while (Raft.Leader != transferee)
            {
                await Task.Delay(Options.HeartbeatInterval, Time, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw EtcdErrors.TimeoutLeaderTransfer;
        }
    }

    /// <summary>
    /// Carries lease renewals and TTL lookups from this member, when a follower, to the leader;
    /// without one (a cluster of one) a follower answers them from its own lessor.
    /// </summary>
    public ILeaseForwarder? LeaseForwarder { get; set; }

    /// <summary>
    /// etcd's LeaseRenew: the leader renews in its lessor, whose expiry times alone count; a
    /// follower forwards to the leader, retrying with whichever leader it learns until the
    /// request timeout ("etcdserver: request timed out"). Throws a LeaseException NotFound for
    /// an unknown or expired lease.
    /// </summary>
    public Task<long> RenewLeaseAsync(long id, CancellationToken cancellationToken) =>
        OnLeaderAsync(
            cancel => Lessor.RenewAsync(id, cancel),
            (forwarder, leader, cancel) => forwarder.RenewAsync(leader, id, cancel),
            cancellationToken);

    /// <summary>etcd's LeaseTimeToLive: answered by the leader, forwarded to it from a follower.</summary>
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken cancellationToken) =>
        OnLeaderAsync(
            _ => Task.FromResult(LocalTimeToLive(request) ?? NotFoundTimeToLive(request)),
            async (forwarder, leader, cancel) =>
            {
                try
                {
                    var response = await forwarder.TimeToLiveAsync(leader, request, cancel).ConfigureAwait(false);
                    response.Header = Header(Mvcc.Revision);
                    return response;
                }
                catch (LeaseException e) when (e.Error == LeaseError.NotFound)
                {
                    return NotFoundTimeToLive(request);
                }
            },
            cancellationToken);

    /// <summary>This member's lessor's view of a lease, null when it has none (TTL -1 to clients).</summary>
    public LeaseTimeToLiveResponse? LocalTimeToLive(LeaseTimeToLiveRequest request)
    {
        if (Lessor.TimeToLive(request.ID, request.Keys) is not var (remaining, granted, keys))
        {
            return null;
        }

        var response = new LeaseTimeToLiveResponse { Header = Header(Mvcc.Revision), ID = request.ID, TTL = remaining, GrantedTTL = granted };
        response.Keys.AddRange(keys.Select(k => UnsafeByteOperations.UnsafeWrap(k)));
        return response;
    }

    private LeaseTimeToLiveResponse NotFoundTimeToLive(LeaseTimeToLiveRequest request) =>
        new() { Header = Header(Mvcc.Revision), ID = request.ID, TTL = -1 };

    private async Task<T> OnLeaderAsync<T>(Func<CancellationToken, Task<T>> local, Func<ILeaseForwarder, ulong, CancellationToken, Task<T>> forward, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(RequestTimeout, Time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (true)
            {
                await WaitForLeaderIdAsync(cancel.Token).ConfigureAwait(false);
                var leader = Raft.Leader;
                if (leader == Identity.MemberId || LeaseForwarder is null)
                {
                    return await local(cancel.Token).ConfigureAwait(false);
                }

                if (leader != 0)
                {
                    try
                    {
                        return await forward(LeaseForwarder, leader, cancel.Token).ConfigureAwait(false);
                    }
                    catch (HttpRequestException e)
                    {
                        _logger.LogDebug("forwarding a lease request to {Leader:x} failed: {Error}", leader, e.Message);
                    }
                }

                // The leader moved or was unreachable: ask again shortly, as etcd does every 50 ms.
                await Task.Delay(TimeSpan.FromMilliseconds(50), Time, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw EtcdErrors.Timeout;
        }
    }

    /// <summary>
    /// etcd's quota: a write that would take the backend past its quota raises the NOSPACE alarm,
    /// and while the alarm is on, writes that add data are refused until an operator disarms it.
    /// </summary>
    public void CheckQuota(long requestBytes)
    {
        var quota = Options.ResolvedQuotaBytes;
        lock (_alarmLock)
        {
            if (_noSpaceAlarm)
            {
                throw EtcdErrors.NoSpace;
            }

            if (quota > 0 && Backend.SizeBytes + requestBytes > quota)
            {
                _noSpaceAlarm = true;
                using var batch = Backend.CreateBatch();
                batch.Put(BackendTable.Meta, NoSpaceAlarmKey, [1]);
                Backend.Write(batch);
                Backend.Sync();
                _logger.LogWarning("backend size exceeds the quota of {Quota} bytes: NOSPACE alarm raised", quota);
                throw EtcdErrors.NoSpace;
            }
        }
    }

    public void DisarmNoSpace()
    {
        lock (_alarmLock)
        {
            if (!_noSpaceAlarm)
            {
                return;
            }

            _noSpaceAlarm = false;
            using var batch = Backend.CreateBatch();
            batch.Delete(BackendTable.Meta, NoSpaceAlarmKey);
            Backend.Write(batch);
            Backend.Sync();
        }
    }

    /// <summary>A new lease ID: positive and random, as etcd's are unpredictable to clients.</summary>
    public static long NewLeaseId()
    {
        Span<byte> bytes = stackalloc byte[8];
        long id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToInt64(bytes) & long.MaxValue;
        }
        while (id == 0);

        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _leaseExpiryLoop.ConfigureAwait(false);
        await _publishLoop.ConfigureAwait(false);
        Raft.LeaderChanged -= OnLeaderChanged;
        Members.Changed -= OnMembersChanged;
        Raft.Dispose();
        await WatchHub.DisposeAsync().ConfigureAwait(false);
        Mvcc.Dispose();
        _stop.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>
    /// etcd's lessor promotion: the new leader gives every lease a fresh TTL plus an election
    /// timeout, since it cannot know when the old leader last renewed one. Runs on the Raft loop.
    /// </summary>
    private void OnLeaderChanged(ulong leader, ulong term)
    {
        if (leader == Identity.MemberId)
        {
            Lessor.Promote(Options.ElectionTimeout);
            _logger.LogInformation("{MemberId:x} became leader at term {Term}", Identity.MemberId, term);
        }
        else
        {
            _logger.LogInformation("{MemberId:x} elected leader {Leader:x} at term {Term}", Identity.MemberId, leader, term);
        }
    }

    /// <summary>A removal of this member, applied: it stops, as etcd's does.</summary>
    private void OnMembersChanged()
    {
        if (Members.IsRemoved(Identity.MemberId) && Interlocked.Exchange(ref _removed, 1) == 0)
        {
            _logger.LogWarning("{MemberId:x}: {Message}", Identity.MemberId, MembershipErrors.RemovedMessage);
            RemovedFromCluster?.Invoke();
        }
    }

    /// <summary>
    /// etcd's publish: once there is a leader, this member's name and client URLs go through Raft,
    /// so that every member lists them; retried until applied or the member stops. Skipped when
    /// the registry already holds them (a restart under the same attributes).
    /// </summary>
    private async Task PublishAsync()
    {
        var name = Options.Name;
        string[] clientUrls = [.. Identity.ClientUrls.Select(Services.ClusterService.Format)];
        var request = new InternalRequest { MemberAttributes = new MemberAttributesRequest { MemberId = Identity.MemberId, Name = name, ClientUrls = { clientUrls } } };
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (Members.Find(Identity.MemberId) is { } self && self.Name == name && self.ClientUrls.SequenceEqual(clientUrls))
                {
                    return;
                }

                if (Members.IsRemoved(Identity.MemberId))
                {
                    return;
                }

                try
                {
                    await WaitForLeaderIdAsync(_stop.Token).ConfigureAwait(false);
                    await Raft.ProposeAsync(request.ToByteArray(), _stop.Token).ConfigureAwait(false);
                    _logger.LogInformation("published {Name} {ClientUrls} to the cluster", name, string.Join(",", clientUrls));
                }
                catch (Grpc.RpcException e)
                {
                    _logger.LogDebug("publishing this member's attributes failed: {Error}", e.Message);
                    await Task.Delay(Options.HeartbeatInterval * 2, Time, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Revokes expired leases through Raft, as etcd's leader does every 500 ms; followers leave expiry to it.</summary>
    private async Task LeaseExpiryLoopAsync(PeriodicTimer timer)
    {
        using var owned = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (!Raft.IsLeader)
                {
                    continue;
                }

                foreach (var id in Lessor.Expired())
                {
                    lock (_revoking)
                    {
                        if (!_revoking.Add(id))
                        {
                            continue;
                        }
                    }

                    _ = RevokeExpiredAsync(id);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RevokeExpiredAsync(long id)
    {
        try
        {
            await Raft.ProposeAsync(new InternalRequest { LeaseRevoke = new LeaseRevokeRequest { ID = id } }.ToByteArray(), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or Grpc.RpcException)
        {
        }
        finally
        {
            lock (_revoking)
            {
                _revoking.Remove(id);
            }
        }
    }
}
