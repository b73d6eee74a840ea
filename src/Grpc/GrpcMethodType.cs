namespace MiniKube.Grpc;

/// <summary>The shapes of gRPC methods, as grpc-go's Prometheus interceptors label them.</summary>
public enum GrpcMethodType
{
    Unary,
    ServerStream,
    BidiStream,
}
