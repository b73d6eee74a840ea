using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Transport;

/// <summary>What a failed call tells about the endpoint and about the request.</summary>
internal static class Failures
{
    /// <summary>
    /// The call failed in a way another endpoint (or a later attempt) may not: no connection, a
    /// broken connection, or a member that cannot serve now (etcd answers those with Unavailable).
    /// </summary>
    public static bool IsTransient(RpcException error)
        => error.StatusCode == StatusCode.Unavailable || (error.StatusCode == StatusCode.Cancelled && IsConnectTimeout(error));

    /// <summary>
    /// The request provably never reached a server, so even a write may be sent again: the
    /// connection could not be established, or the server refused the stream (REFUSED_STREAM
    /// promises it was not processed). Anything else is ambiguous for a write.
    /// </summary>
    public static bool NeverSent(RpcException error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError }:
                case HttpProtocolException { ErrorCode: 0x7 }:
                    return true;
                case TimeoutException when IsConnectTimeout(error):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// SocketsHttpHandler reports its ConnectTimeout as an OperationCanceledException around a
    /// TimeoutException, which the gRPC layer reads as Cancelled although the caller cancelled nothing.
    /// </summary>
    private static bool IsConnectTimeout(RpcException error)
    {
        for (Exception? inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
