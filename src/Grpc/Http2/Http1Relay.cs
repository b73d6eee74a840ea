using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace MiniKube.Grpc.Http2;

/// <summary>
/// Lets one cleartext port serve h2c (prior knowledge) and HTTP/1.1, as etcd's client port does:
/// a connection that opens with the HTTP/2 preface goes on to Kestrel's HTTP/2, any other is
/// relayed byte for byte to <paramref name="http1Endpoint"/>, where the same application listens
/// with HTTP/1.1. Kestrel cannot do this itself: on a cleartext endpoint for both protocols it
/// always picks HTTP/1.1 (dotnet/aspnetcore#56984).
/// </summary>
internal sealed class Http1Relay(EndPoint http1Endpoint, TimeSpan prefaceTimeout)
{
    /// <summary>RFC 9113 §3.4: the first bytes of every HTTP/2 connection.</summary>
    internal static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        bool http2;
        using (var patience = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            // A client that connects and says nothing would otherwise hold the connection forever:
            // Kestrel's own handshake timeouts start only once a protocol is chosen.
            patience.CancelAfter(prefaceTimeout);
            try
            {
                http2 = await StartsWithPrefaceAsync(connection.Transport.Input, patience.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                return;
            }
        }

        if (http2)
        {
            await next(connection).ConfigureAwait(false);
        }
        else
        {
            await RelayAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until the first bytes either match the preface or cannot; consumes nothing, so the
    /// protocol chosen reads the connection from its first byte. A connection that ends first
    /// counts as HTTP/2, whose handling of a closed connection is to close it.
    /// </summary>
    internal static async ValueTask<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var head = new byte[Preface.Length];
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, head.Length);
            buffer.Slice(0, length).CopyTo(head);
            if (!head.AsSpan(0, length).SequenceEqual(Preface[..length]))
            {
                input.AdvanceTo(buffer.Start);
                return false;
            }

            if (length == head.Length || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return true;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task RelayAsync(ConnectionContext connection)
    {
        using var socket = new Socket(http1Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(http1Endpoint, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return;
        }

        await using var server = new NetworkStream(socket, ownsSocket: false);
        var input = connection.Transport.Input;
        var toServer = CopyToServerAsync(input, server, socket);
        try
        {
            // The HTTP/1.1 side decides when the conversation is over: it closes after an error,
            // after "Connection: close", or once the client has closed its half.
            await server.CopyToAsync(connection.Transport.Output, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }
        finally
        {
            input.CancelPendingRead();
            await toServer.ConfigureAwait(false);
        }
    }

    private static async Task CopyToServerAsync(PipeReader input, Stream server, Socket socket)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    return;
                }

                foreach (var segment in result.Buffer)
                {
                    await server.WriteAsync(segment).ConfigureAwait(false);
                }

                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // either side went away: the other copy ends too
        }
    }
}
