using Google.Protobuf;

namespace MiniKube.Grpc.Server;

internal sealed class ResponseStreamWriter<T>(ServerCallContext call) : IServerStreamWriter<T>
    where T : IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
        => call.WriteStreamMessageAsync(message, cancellationToken);
}
