using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>gRPC by hand over a plain HttpClient, to send what our client never would.</summary>
internal static class RawGrpc
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler());

    public static byte[] Frame(IMessage message, byte flag = 0) => Frame(message.ToByteArray(), flag);

    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        Uri server,
        string path,
        byte[] body,
        string contentType = "application/grpc",
        HttpMethod? method = null,
        IEnumerable<(string Name, string Value)>? headers = null,
        Version? version = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(server, path))
        {
            Content = new ByteArrayContent(body),
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    public static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static string? Trailer(HttpResponseMessage response, string name)
        => response.TrailingHeaders.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
