using Google.Protobuf;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Transport;

/// <summary>
/// Sends unary calls to the pinned endpoint and fails over when it cannot be reached. A call is
/// sent again only when that is safe: a read always, a write only when it provably never left
/// this client. Re-sending a write after an ambiguous failure could apply it twice (a put that
/// overwrote a later one, a CAS that loses its own earlier success), which is why clientv3 does not.
/// </summary>
internal sealed class RpcInvoker(EndpointPool pool, EtcdClientOptions options)
{
    private readonly TimeProvider _time = options.TimeProvider;

    public EndpointPool Pool => pool;

    /// <param name="idempotent">Whether sending the request twice is harmless (reads).</param>
    /// <param name="timeout">This call's deadline; null for the client's default.</param>
    /// <param name="target">A member to ask (and only it), or null for the pinned endpoint with failover.</param>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method,
        TRequest request,
        bool idempotent,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        Endpoint? target = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        var start = _time.GetUtcNow();
        var deadline = (timeout ?? options.DefaultRequestTimeout) is { } t && t != Timeout.InfiniteTimeSpan ? start.UtcDateTime + t : (DateTime?)null;
        var backoff = new Backoff(options.MaxRetryBackoff, _time);
        var attempts = 0;
        while (true)
        {
            var endpoint = target ?? pool.Pinned;
            try
            {
                var response = await endpoint.Channel.UnaryAsync(method, request, new CallOptions(deadline, cancellationToken)).ConfigureAwait(false);
                pool.ReportSuccess(endpoint);
                return response;
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(e.Message, e, cancellationToken);
            }
            catch (RpcException e) when (Failures.IsTransient(e))
            {
                pool.ReportFailure(endpoint);
                attempts++;
                var now = _time.GetUtcNow();
                var safe = target is null && (idempotent || Failures.NeverSent(e));
                var withinBudget = attempts < pool.Count || now - start < options.DialTimeout;
                if (deadline is { } d && now.UtcDateTime >= d)
                {
                    throw new EtcdException(StatusCode.DeadlineExceeded, EtcdErrors.DeadlineExceeded, endpoint.Address, e);
                }

                if (!safe || !withinBudget)
                {
                    throw new EtcdException(StatusCode.Unavailable, e.Status.Detail, endpoint.Address, e);
                }

                // Each endpoint gets one immediate try; after that, wait before going round again.
                if (attempts >= pool.Count)
                {
                    var wait = backoff.Next();
                    if (deadline is { } limit && limit - now.UtcDateTime < wait)
                    {
                        wait = limit - now.UtcDateTime > TimeSpan.Zero ? limit - now.UtcDateTime : TimeSpan.Zero;
                    }

                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RpcException e)
            {
                throw EtcdException.FromRpc(e, endpoint.Address);
            }
        }
    }
}
