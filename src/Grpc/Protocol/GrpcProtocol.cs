using System.Net;

namespace MiniKube.Grpc.Protocol;

/// <summary>Names and values of gRPC over HTTP/2 (grpc/doc/PROTOCOL-HTTP2.md) shared by server and client.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TeHeader = "te";
    public const string TeTrailers = "trailers";

    /// <summary>1 byte compressed flag + 4 bytes big-endian length before every message.</summary>
    public const int FrameHeaderSize = 5;

    // grpc-go's wording, so that etcd clients and logs read the same against our server and a real etcd.
    public const string DeadlineExceededDetail = "context deadline exceeded";
    public const string CancelledDetail = "context canceled";

    private static readonly string[] s_statusStrings = [.. Enumerable.Range(0, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The header value for a status code, without allocating for the defined codes.</summary>
    public static string StatusCodeString(StatusCode code)
        => (uint)code < (uint)s_statusStrings.Length ? s_statusStrings[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"application/grpc" optionally followed by "+subtype" or ";parameters", as grpc-go accepts.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }

    /// <summary>Parses a grpc-status value; null when it is not a number.</summary>
    public static StatusCode? ParseStatusCode(string? value)
        => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? (StatusCode)code : null;

    /// <summary>A non-200 HTTP status as grpc maps it (grpc/doc/http-grpc-status-mapping.md).</summary>
    public static Status StatusFromHttpStatus(HttpStatusCode httpStatus)
    {
        var code = httpStatus switch
        {
            HttpStatusCode.BadRequest => StatusCode.Internal,
            HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
            HttpStatusCode.NotFound => StatusCode.Unimplemented,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        return new Status(code, $"unexpected HTTP status code received from server: {(int)httpStatus} ({httpStatus})");
    }
}
