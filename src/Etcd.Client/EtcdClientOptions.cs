namespace MiniKube.Etcd.Client;

/// <summary>Settings of an <see cref="EtcdClient"/> (clientv3.Config).</summary>
public sealed class EtcdClientOptions
{
    /// <summary>The members' client URLs (http:// or https://). Calls go to one at a time and fail over in this order.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>
    /// How long connecting to one endpoint may take; also how long a call that is safe to retry
    /// keeps retrying while no endpoint is reachable (after each endpoint was tried once).
    /// </summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The deadline of unary calls that set no timeout of their own, sent to the server as
    /// grpc-timeout; null for none. Watch and keep-alive streams never have one.
    /// </summary>
    public TimeSpan? DefaultRequestTimeout { get; init; }

    /// <summary>Idle time on a connection with calls in flight before an HTTP/2 PING checks that the member is alive.</summary>
    public TimeSpan KeepAliveTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long that PING may go unanswered before the connection is dropped (and streams resume elsewhere).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest response accepted (etcd's clients allow 2 GiB; large lists need more than gRPC's 4 MiB).</summary>
    public int MaxReceiveMessageSize { get; init; } = int.MaxValue;

    /// <summary>The longest wait between attempts to re-open a watch or keep-alive stream.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for deadlines, keep-alive intervals and lease expiry.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
