using MiniKube.Grpc.Client;

namespace MiniKube.Grpc;

/// <summary>A call with streams both ways, as etcd's Watch and LeaseKeepAlive. Dispose it to cancel it.</summary>
public sealed class DuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly StreamingCall _call;

    internal DuplexStreamingCall(StreamingCall call, IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseStream = responseStream;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The call's status; only once <see cref="ResponseStream"/> has ended.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The call's trailers; only once <see cref="ResponseStream"/> has ended.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Resets the stream if the call is still running; waiting readers and writers get Cancelled.</summary>
    public void Dispose() => _call.Dispose();
}
