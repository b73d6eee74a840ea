using System.Net.Sockets;

namespace MiniKube.Grpc.Client;

/// <summary>Turns what HttpClient throws into the status grpc-go would report for the same failure.</summary>
internal static class ClientErrors
{
    public static Status StatusFor(Exception exception, CallCancellation cancellation)
    {
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }

        // Once the call's own token fired, any failure is a consequence of it.
        if (cancellation.Token.IsCancellationRequested)
        {
            return cancellation.CancelledStatus;
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                return FromHttp2ErrorCode(protocol.ErrorCode, protocol.Message);
            }
        }

        return exception switch
        {
            HttpRequestException or IOException or SocketException or ObjectDisposedException
                => new Status(StatusCode.Unavailable, Describe(exception)),
            OperationCanceledException => new Status(StatusCode.Cancelled, Describe(exception)),
            _ => new Status(StatusCode.Internal, Describe(exception)),
        };
    }

    /// <summary>RST_STREAM / GOAWAY codes as grpc-go maps them (internal/transport/http_util.go).</summary>
    private static Status FromHttp2ErrorCode(long errorCode, string message)
    {
        var code = errorCode switch
        {
            0x3 /* FLOW_CONTROL_ERROR */ or 0xb /* ENHANCE_YOUR_CALM */ => StatusCode.ResourceExhausted,
            0x7 /* REFUSED_STREAM */ => StatusCode.Unavailable,
            0x8 /* CANCEL */ => StatusCode.Cancelled,
            0xc /* INADEQUATE_SECURITY */ => StatusCode.PermissionDenied,
            _ => StatusCode.Internal,
        };
        return new Status(code, $"stream terminated by RST_STREAM with error code {errorCode}: {message}");
    }

    private static string Describe(Exception exception)
        => exception.InnerException is { } inner && inner.Message != exception.Message
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
}
