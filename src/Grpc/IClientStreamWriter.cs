namespace MiniKube.Grpc;

/// <summary>Sends request messages of a client-side stream. Writes are serialized, so several tasks may write.</summary>
public interface IClientStreamWriter<in T>
{
    /// <summary>Sends one message and flushes it to the connection.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Ends the request stream (half-close); the response stream stays open.</summary>
    Task CompleteAsync();
}
