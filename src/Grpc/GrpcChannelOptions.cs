namespace MiniKube.Grpc;

/// <summary>Settings of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted; larger ones fail the call with ResourceExhausted.</summary>
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long establishing a connection may take. Ignored when <see cref="HttpHandler"/> is given.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Idle time on a connection with calls in flight before an HTTP/2 PING checks that the peer is
    /// alive. Only with calls in flight: grpc-go servers (etcd) answer pings on idle connections
    /// with GOAWAY "too_many_pings". Ignored when <see cref="HttpHandler"/> is given.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a keep-alive PING may go unanswered before the connection is dropped.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The handler to send requests with, for TLS settings or tests. When null the channel creates
    /// (and disposes) a SocketsHttpHandler; a given handler stays the caller's to dispose.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}
