using MiniKube.Grpc.Client;

namespace MiniKube.Grpc;

/// <summary>A call with one request and a stream of responses. Dispose it to cancel it.</summary>
public sealed class ServerStreamingCall<TResponse> : IDisposable
{
    private readonly StreamingCall _call;

    internal ServerStreamingCall(StreamingCall call, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        ResponseStream = responseStream;
    }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The call's status; only once <see cref="ResponseStream"/> has ended.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The call's trailers; only once <see cref="ResponseStream"/> has ended.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Resets the stream if the call is still running; waiting readers get Cancelled.</summary>
    public void Dispose() => _call.Dispose();
}
