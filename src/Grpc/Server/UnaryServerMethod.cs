using Google.Protobuf;

namespace MiniKube.Grpc.Server;

internal sealed class UnaryServerMethod<TRequest, TResponse>(
    MessageParser<TRequest> parser,
    Func<TRequest, ServerCallContext, Task<TResponse>> handler) : ServerMethod
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override bool IsStreaming => false;

    public override GrpcMethodType Type => GrpcMethodType.Unary;

    public override async Task InvokeAsync(ServerCallContext call)
    {
        var request = await RequestMessageReader.ReadSingleAsync(call, parser).ConfigureAwait(false);
        var response = await handler(request, call).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "grpc: handler returned no response message");
        await call.WriteUnaryResponseAsync(response).ConfigureAwait(false);
    }
}
