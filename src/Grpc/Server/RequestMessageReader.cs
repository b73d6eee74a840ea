using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Server;

/// <summary>
/// Reads length-prefixed request messages straight from Kestrel's request body pipe. A message is
/// parsed from the pipe's own buffers once all of it has arrived; nothing is copied.
/// </summary>
internal static class RequestMessageReader
{
    public static async ValueTask<T> ReadSingleAsync<T>(ServerCallContext call, MessageParser<T> parser)
        where T : IMessage<T>
    {
        // The rest of the request stream is not awaited: HttpClient ends it with a separate empty
        // DATA frame, and waiting for that would only add latency.
        var (found, message) = await ReadAsync(call, parser, call.CancellationToken).ConfigureAwait(false);
        return found ? message! : throw new RpcException(StatusCode.Internal, "grpc: request stream ended without a request message");
    }

    /// <summary>Reads the next message; (false, default) when the request stream ended cleanly between messages.</summary>
    public static async ValueTask<(bool Found, T? Message)> ReadAsync<T>(ServerCallContext call, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var reader = call.HttpContext.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool parsed;
            T? message;
            try
            {
                parsed = TryParse(call, parser, ref buffer, out message);
            }
            catch
            {
                reader.AdvanceTo(buffer.Start);
                throw;
            }

            if (parsed)
            {
                reader.AdvanceTo(buffer.Start);
                return (true, message);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return buffer.IsEmpty
                    ? (false, default)
                    : throw new RpcException(StatusCode.Internal, $"grpc: request stream ended inside a message ({buffer.Length} bytes left over)");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was cancelled.");
            }
        }
    }

    /// <summary>Parses one message when all of it is buffered and advances <paramref name="buffer"/> past it.</summary>
    private static bool TryParse<T>(ServerCallContext call, MessageParser<T> parser, ref ReadOnlySequence<byte> buffer, out T? message)
        where T : IMessage<T>
    {
        message = default;
        if (buffer.Length < GrpcProtocol.FrameHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.FrameHeaderSize];
        buffer.Slice(0, GrpcProtocol.FrameHeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        var encoding = header[0] == 0 ? null : call.HttpContext.Request.Headers.GrpcEncoding.ToString();
        if (MessageFraming.Validate(header[0], length, call.Options.MaxReceiveMessageSize, encoding, isServer: true) is { } error)
        {
            throw new RpcException(error);
        }

        if (buffer.Length - GrpcProtocol.FrameHeaderSize < length)
        {
            return false;
        }

        var payload = buffer.Slice(GrpcProtocol.FrameHeaderSize, length);
        try
        {
            message = parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "grpc: error unmarshalling request: " + ex.Message), ex);
        }

        buffer = buffer.Slice(payload.End);
        return true;
    }
}
