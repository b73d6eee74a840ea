using Google.Protobuf;

namespace MiniKube.Grpc.Server;

internal sealed class ServerStreamingServerMethod<TRequest, TResponse>(
    MessageParser<TRequest> parser,
    Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler) : ServerMethod
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override bool IsStreaming => true;

    public override GrpcMethodType Type => GrpcMethodType.ServerStream;

    public override async Task InvokeAsync(ServerCallContext call)
    {
        var request = await RequestMessageReader.ReadSingleAsync(call, parser).ConfigureAwait(false);
        await handler(request, new ResponseStreamWriter<TResponse>(call), call).ConfigureAwait(false);
    }
}
