using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using MiniKube.Grpc;

namespace MiniKube.Store.Integration.Tests.BadInput;

/// <summary>How a raw call ended: the HTTP status, and the gRPC status if the server sent one (trailers or trailers-only).</summary>
public sealed record RawOutcome(HttpStatusCode HttpStatus, StatusCode? GrpcStatus, string? GrpcMessage, byte[] Body)
{
    public override string ToString() => $"HTTP {(int)HttpStatus}, grpc-status {GrpcStatus?.ToString() ?? "none"}, grpc-message \"{GrpcMessage}\", {Body.Length} body bytes";
}

/// <summary>gRPC by hand over HttpClient (HTTP/2 with prior knowledge), to send what no client library would.</summary>
public sealed class RawGrpc : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    public static byte[] Frame(byte[] payload, byte flag = 0, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public async Task<RawOutcome> CallAsync(Uri server, string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var status = Value(response.TrailingHeaders, "grpc-status") ?? Value(response.Headers, "grpc-status");
        var message = Value(response.TrailingHeaders, "grpc-message") ?? Value(response.Headers, "grpc-message");
        return new RawOutcome(
            response.StatusCode,
            status is null ? null : (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            message is null ? null : Uri.UnescapeDataString(message),
            bytes);
    }

    public void Dispose() => _client.Dispose();

    private static string? Value(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.First() : null;
}
