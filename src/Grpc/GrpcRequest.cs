using Microsoft.AspNetCore.Http;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc;

public static class GrpcRequest
{
    /// <summary>
    /// Whether a request is a gRPC call: HTTP/2 with a gRPC content type. etcd tells gRPC from
    /// its plain HTTP endpoints on the same port the same way.
    /// </summary>
    public static bool IsGrpc(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpProtocol.IsHttp2(request.Protocol) && GrpcProtocol.IsGrpcContentType(request.ContentType);
    }
}
