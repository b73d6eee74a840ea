using System.Security.Cryptography;
using Etcdserverpb;
using Microsoft.Extensions.Logging;
using MiniKube.Store.Backend;
using MiniKube.Store.Internal;
using MiniKube.Store.Lease;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Server;

/// <summary>
/// One store member's state and machinery, wired together: backend, MVCC store, lessor, watch
/// hub and the writer. The gRPC services are thin adapters over this (as etcd's v3rpc package is
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
    private readonly HashSet<long> _revoking = [];
    private readonly ILogger _logger;
    private readonly Lock _alarmLock = new();
    private bool _noSpaceAlarm;

    public StoreServer(IBackend backend, StoreOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        Options = options;
        Time = time;
        _logger = loggers.CreateLogger("store");
        Backend = backend;
        Identity = ClusterIdentity.LoadOrCreate(backend, options);
        Mvcc = new MvccStore(backend);
        Lessor = new Lessor(time, options.MinLeaseTtlSeconds);
        Lessor.Recover(Mvcc);
        Applier = new Applier(Mvcc, Lessor);
        WatchHub = new WatchHub(Mvcc, Header, options.WatchProgressNotifyInterval, time, loggers.CreateLogger("watch"));
        Pipeline = new WritePipeline(Applier, WatchHub, Metrics.WalFsyncSeconds, _logger);
        _noSpaceAlarm = backend.Get(BackendTable.Meta, NoSpaceAlarmKey) is not null;
        _leaseExpiryLoop = Task.Run(LeaseExpiryLoopAsync);
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

    public WritePipeline Pipeline { get; }

    public StoreMetrics Metrics { get; } = new();

    /// <summary>The Raft term; a single unreplicated member stays in its first term.</summary>
    public ulong RaftTerm { get; } = 1;

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

    /// <summary>Proposes a write and returns its response, or throws its error as an RpcException.</summary>
    public async Task<TResponse> WriteAsync<TResponse>(InternalRequest request, CancellationToken cancellationToken)
        where TResponse : class
    {
        var applied = await Pipeline.ProposeAsync(request, cancellationToken).ConfigureAwait(false);
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
        await Pipeline.DisposeAsync().ConfigureAwait(false);
        await WatchHub.DisposeAsync().ConfigureAwait(false);
        Mvcc.Dispose();
        _stop.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>Revokes expired leases through the writer, as etcd's leader does every 500 ms.</summary>
    private async Task LeaseExpiryLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
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
            await Pipeline.ProposeAsync(new InternalRequest { LeaseRevoke = new LeaseRevokeRequest { ID = id } }, _stop.Token).ConfigureAwait(false);
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
