using System.Net;
using System.Net.Http.Headers;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Client;

/// <summary>Reads a call's status from response headers (trailers-only, HTTP errors) or trailers.</summary>
internal static class ResponseStatus
{
    /// <summary>
    /// The final status when the response headers already end the call: an HTTP error, a response
    /// that is not gRPC, or a trailers-only reply. Null when messages and trailers follow.
    /// </summary>
    public static Status? FromHeaders(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = GrpcProtocol.StatusFromHttpStatus(response.StatusCode);
            return TryRead(response.Headers, out var grpc) && grpc.Detail.Length > 0
                ? status with { Detail = $"{status.Detail}; {grpc.Detail}" }
                : status;
        }

        if (TryRead(response.Headers, out var trailersOnly))
        {
            return trailersOnly;
        }

        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var contentType);
        var contentTypeText = contentType.ToString();
        return GrpcProtocol.IsGrpcContentType(contentTypeText)
            ? null
            : new Status(StatusCode.Unknown, $"transport: received unexpected content-type \"{contentTypeText}\"");
    }

    public static Status FromTrailers(HttpResponseMessage response)
        => TryRead(response.TrailingHeaders, out var status)
            ? status
            : new Status(StatusCode.Internal, "server closed the stream without sending trailers");

    /// <summary>The headers or trailers as metadata, without gRPC's own protocol fields.</summary>
    public static Metadata ToMetadata(HttpHeaders headers, HttpHeaders? more = null)
    {
        var metadata = new Metadata();
        Append(metadata, headers);
        if (more is not null)
        {
            Append(metadata, more);
        }

        return metadata;
    }

    private static void Append(Metadata metadata, HttpHeaders headers)
    {
        foreach (var (key, values) in headers.NonValidated)
        {
            if (key.Equals(GrpcProtocol.StatusHeader, StringComparison.OrdinalIgnoreCase)
                || key.Equals(GrpcProtocol.MessageHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                metadata.Add(key, value);
            }
        }
    }

    private static bool TryRead(HttpHeaders headers, out Status status)
    {
        var fields = headers.NonValidated;
        if (!fields.TryGetValues(GrpcProtocol.StatusHeader, out var code))
        {
            status = default;
            return false;
        }

        var detail = fields.TryGetValues(GrpcProtocol.MessageHeader, out var message) ? PercentEncoding.Decode(message.ToString()) : "";
        status = GrpcProtocol.ParseStatusCode(code.ToString()) is { } parsed
            ? new Status(parsed, detail)
            : new Status(StatusCode.Internal, $"transport: malformed grpc-status: {code}");
        return true;
    }
}
