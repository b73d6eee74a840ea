namespace MiniKube.Grpc;

/// <summary>Reads the messages of a stream one at a time. Not safe for concurrent MoveNext calls.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>
    /// Reads the next message: true when one was read, false when the stream ended cleanly.
    /// Throws <see cref="RpcException"/> when the stream ends with an error status.
    /// </summary>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}
