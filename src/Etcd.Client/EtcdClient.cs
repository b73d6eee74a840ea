using MiniKube.Etcd.Client.Streams;
using MiniKube.Etcd.Client.Transport;

namespace MiniKube.Etcd.Client;

/// <summary>
/// A client of an etcd v3 cluster (or of MiniKube's store), shaped like etcd's clientv3: KV and
/// watch calls on the client itself, <see cref="Lease"/>, <see cref="Cluster"/> and
/// <see cref="Maintenance"/> beside them. Thread-safe and meant to be long-lived: each endpoint
/// gets one HTTP/2 connection, opened on first use, that every call and stream shares; all
/// watches share one Watch stream and all kept-alive leases one LeaseKeepAlive stream.
/// </summary>
/// <remarks>
/// Calls go to one pinned endpoint; when it cannot be reached the pin moves to the next one.
/// Reads are retried there; writes only when they provably never left the client. Watches and
/// keep-alives re-open their stream on another endpoint by themselves, watches resuming from
/// the revision after the last one they delivered.
/// </remarks>
public sealed partial class EtcdClient : IAsyncDisposable
{
    private readonly EndpointPool _pool;
    private readonly RpcInvoker _invoker;
    private readonly WatchStream _watches;
    private readonly KeepAliveStream _keepAlives;
    private int _disposed;

    public EtcdClient(EtcdClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _pool = new EndpointPool(options);
        _invoker = new RpcInvoker(_pool, options);
        _watches = new WatchStream(_pool, options);
        _keepAlives = new KeepAliveStream(_pool, options);
        Lease = new LeaseClient(_invoker, _keepAlives, options);
        Cluster = new ClusterClient(_invoker);
        Maintenance = new MaintenanceClient(_invoker);
    }

    public EtcdClientOptions Options { get; }

    /// <summary>The endpoints, normalized to scheme://host:port, in failover order.</summary>
    public IReadOnlyList<Uri> Endpoints => _pool.Addresses;

    /// <summary>The endpoint calls go to now.</summary>
    public Uri PinnedEndpoint => _pool.Pinned.Address;

    public LeaseClient Lease { get; }

    public ClusterClient Cluster { get; }

    public MaintenanceClient Maintenance { get; }

    /// <summary>
    /// Ends every watch (their enumerations throw ObjectDisposedException), stops every
    /// keep-alive (leases are not revoked) and closes the connections.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _watches.DisposeAsync().ConfigureAwait(false);
        await _keepAlives.DisposeAsync().ConfigureAwait(false);
        _pool.Dispose();
    }
}
