using System.Net;
using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Http2;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>
/// A hand-driven HTTP/2 client connection, to send header blocks exactly as a test builds them
/// (as grpc-go's etcdctl does) and see what Kestrel makes of them.
/// </summary>
internal sealed class RawHttp2Connection : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttp2Connection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttp2Connection> OpenAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var connection = new RawHttp2Connection(tcp);
        await connection._stream.WriteAsync(H2Frames.Concat(H2Frames.Preface, H2Frames.Settings()));
        return connection;
    }

    /// <summary>
    /// Sends one request (HEADERS with <paramref name="block"/>, then DATA with a StringValue) and
    /// reads until the stream ends. Returns the response message, or null if the stream was reset.
    /// </summary>
    public async Task<StringValue?> CallAsync(int streamId, byte[] block, string request)
    {
        await _stream.WriteAsync(H2Frames.Concat(
            H2Frames.Headers(streamId, block),
            H2Frames.Data(streamId, RawGrpc.Frame(new StringValue { Value = request }))));

        var data = new List<byte>();
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var (frame, payload) = await ReadFrameAsync(timeout.Token);
            switch (frame.Type)
            {
                case 0x4 when (frame.Flags & 0x1) == 0:
                    await _stream.WriteAsync(H2Frames.Settings(ack: true), timeout.Token);
                    break;
                case 0x7:
                    throw new InvalidOperationException("The server sent GOAWAY.");
                case 0x3 when frame.StreamId == streamId:
                    return null;
                case 0x0 when frame.StreamId == streamId:
                    data.AddRange(payload);
                    break;
                case Http2Frame.TypeHeaders when frame.StreamId == streamId && (frame.Flags & Http2Frame.FlagEndStream) != 0:
                    return data.Count == 0 ? new StringValue { Value = "<no message>" } : StringValue.Parser.ParseFrom(data.Skip(5).ToArray());
            }
        }
    }

    private async Task<(Http2Frame Frame, byte[] Payload)> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[Http2Frame.HeaderSize];
        await _stream.ReadExactlyAsync(header, cancellationToken);
        var frame = Http2Frame.Read(header);
        var payload = new byte[frame.Length];
        await _stream.ReadExactlyAsync(payload, cancellationToken);
        return (frame, payload);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
