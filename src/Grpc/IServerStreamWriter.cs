namespace MiniKube.Grpc;

/// <summary>
/// Sends response messages of a streaming call. Safe to call from several tasks at once (writes are
/// serialized), because watch and lease keep-alive senders write from more than one task.
/// </summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Sends one message and flushes it; completes when the transport has accepted it (flow control applies).</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
