using Etcdserverpb;
using MiniKube.Etcd.Client.Streams;
using MiniKube.Etcd.Client.Transport;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>The Lease API: grant, revoke, inspect, and keep leases alive.</summary>
public sealed class LeaseClient
{
    private readonly RpcInvoker _invoker;
    private readonly EtcdClientOptions _options;
    private readonly KeepAliveStream _keepAlives;

    internal LeaseClient(RpcInvoker invoker, KeepAliveStream keepAlives, EtcdClientOptions options)
    {
        _invoker = invoker;
        _keepAlives = keepAlives;
        _options = options;
    }

    /// <summary>Grants a lease of <paramref name="ttlSeconds"/> (the server may raise it to its minimum); <paramref name="id"/> 0 lets the server choose.</summary>
    public Task<LeaseGrantResponse> GrantAsync(long ttlSeconds, long id = 0, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.LeaseGrant, new LeaseGrantRequest { TTL = ttlSeconds, ID = id }, idempotent: false, timeout: null, cancellationToken);

    /// <summary>Revokes a lease, deleting every key attached to it.</summary>
    public Task<LeaseRevokeResponse> RevokeAsync(long id, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.LeaseRevoke, new LeaseRevokeRequest { ID = id }, idempotent: false, timeout: null, cancellationToken);

    /// <summary>The lease's remaining and granted TTL (TTL -1 if it does not exist), and its keys if asked.</summary>
    public Task<LeaseTimeToLiveResponse> TimeToLiveAsync(long id, bool keys = false, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.LeaseTimeToLive, new LeaseTimeToLiveRequest { ID = id, Keys = keys }, idempotent: true, timeout: null, cancellationToken);

    public Task<LeaseLeasesResponse> LeasesAsync(CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.LeaseLeases, new LeaseLeasesRequest(), idempotent: true, timeout: null, cancellationToken);

    /// <summary>
    /// Keeps the lease alive on the client's shared keep-alive stream until the returned handle is
    /// disposed; returns once the first renewal succeeded. Throws <see cref="EtcdLeaseExpiredException"/>
    /// (<c>IsLeaseNotFound</c>) if the lease does not exist.
    /// </summary>
    public async Task<LeaseKeepAlive> KeepAliveAsync(long id, CancellationToken cancellationToken = default)
    {
        var handle = _keepAlives.Add(id);
        try
        {
            if (_options.DefaultRequestTimeout is { } timeout)
            {
                await handle.FirstRenewal.Task.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await handle.FirstRenewal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return handle;
        }
        catch (TimeoutException e)
        {
            await handle.DisposeAsync().ConfigureAwait(false);
            throw new EtcdException(StatusCode.DeadlineExceeded, EtcdErrors.DeadlineExceeded, innerException: e);
        }
        catch
        {
            await handle.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Renews the lease once, on a stream of its own; throws if it does not exist.</summary>
    public async Task<LeaseKeepAliveResponse> KeepAliveOnceAsync(long id, CancellationToken cancellationToken = default)
    {
        var endpoint = _invoker.Pool.Pinned;
        var deadline = _options.DefaultRequestTimeout is { } timeout ? _options.TimeProvider.GetUtcNow().UtcDateTime + timeout : (DateTime?)null;
        using var call = endpoint.Channel.DuplexStreaming(EtcdMethods.LeaseKeepAlive, new CallOptions(deadline, cancellationToken));
        try
        {
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = id }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                throw new EtcdException(StatusCode.Unavailable, "etcdclient: the keep-alive stream ended without an answer", endpoint.Address);
            }

            var response = call.ResponseStream.Current;
            return response.TTL <= 0 ? throw new EtcdLeaseExpiredException(id, EtcdErrors.LeaseNotFound) : response;
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw EtcdException.FromRpc(e, endpoint.Address);
        }
    }
}
