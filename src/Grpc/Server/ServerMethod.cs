namespace MiniKube.Grpc.Server;

/// <summary>A registered method: reads its request(s), runs the handler, writes its response(s).</summary>
internal abstract class ServerMethod
{
    /// <summary>True when the handler writes responses itself, concurrently with the deadline.</summary>
    public abstract bool IsStreaming { get; }

    public abstract GrpcMethodType Type { get; }

    /// <summary>Runs the call; failures surface as exceptions, which the dispatcher turns into a status.</summary>
    public abstract Task InvokeAsync(ServerCallContext call);
}
