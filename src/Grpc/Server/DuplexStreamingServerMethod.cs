using Google.Protobuf;

namespace MiniKube.Grpc.Server;

internal sealed class DuplexStreamingServerMethod<TRequest, TResponse>(
    MessageParser<TRequest> parser,
    Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler) : ServerMethod
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override bool IsStreaming => true;

    public override GrpcMethodType Type => GrpcMethodType.BidiStream;

    public override Task InvokeAsync(ServerCallContext call)
        => handler(new RequestStreamReader<TRequest>(call, parser), new ResponseStreamWriter<TResponse>(call), call);
}
