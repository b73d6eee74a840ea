using System.Buffers.Binary;
using Google.Protobuf;

namespace MiniKube.Grpc.Protocol;

/// <summary>
/// The length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length, then the
/// serialized protobuf. Compression is not supported in either direction: we never send a
/// compressed message, and reject received ones the way grpc-go does without a decompressor.
/// </summary>
internal static class MessageFraming
{
    /// <summary>Writes header and message into <paramref name="destination"/>, which holds exactly <c>5 + size</c> bytes.</summary>
    public static void Write(IMessage message, int size, Span<byte> destination)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)size);
        message.WriteTo(destination.Slice(GrpcProtocol.FrameHeaderSize, size));
    }

    /// <summary>
    /// Validates a received header. Returns the error status to end the call with, or null.
    /// Runs before the message body is read, so an oversized message is never buffered.
    /// </summary>
    public static Status? Validate(byte flag, uint length, int maxReceiveSize, string? encoding, bool isServer)
    {
        switch (flag)
        {
            case 0:
                break;
            case 1:
                if (string.IsNullOrEmpty(encoding) || encoding == "identity")
                {
                    return new Status(StatusCode.Internal, "grpc: compressed flag set with identity or empty encoding");
                }

                // Servers answer Unimplemented (the client may retry uncompressed); clients see Internal.
                return new Status(isServer ? StatusCode.Unimplemented : StatusCode.Internal, $"grpc: Decompressor is not installed for grpc-encoding \"{encoding}\"");
            default:
                return new Status(StatusCode.Internal, $"grpc: received unexpected payload format {flag}");
        }

        if (length > (uint)maxReceiveSize)
        {
            return new Status(StatusCode.ResourceExhausted, $"grpc: received message larger than max ({length} vs. {maxReceiveSize})");
        }

        return null;
    }

    public static Status SendTooLarge(int size, int maxSendSize)
        => new(StatusCode.ResourceExhausted, $"grpc: trying to send message larger than max ({size} vs. {maxSendSize})");
}
