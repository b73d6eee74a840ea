using System.Buffers.Binary;

namespace MiniKube.Grpc.Http2;

/// <summary>HTTP/2 frame layout (RFC 9113 section 4.1): 24-bit length, type, flags, 31-bit stream id, payload.</summary>
internal readonly record struct Http2Frame(int Length, byte Type, byte Flags, int StreamId)
{
    public const int HeaderSize = 9;

    /// <summary>The smallest SETTINGS_MAX_FRAME_SIZE a peer may announce, so a frame this large is always accepted.</summary>
    public const int MinMaxFrameSize = 16_384;

    public const byte TypeHeaders = 0x1;
    public const byte TypePushPromise = 0x5;
    public const byte TypeContinuation = 0x9;

    public const byte FlagEndStream = 0x1;
    public const byte FlagEndHeaders = 0x4;
    public const byte FlagPadded = 0x8;
    public const byte FlagPriority = 0x20;

    /// <summary>HEADERS priority fields: exclusive bit + stream dependency (4 bytes) and weight (1 byte).</summary>
    public const int PrioritySize = 5;

    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public int TotalSize => HeaderSize + Length;

    public bool Has(byte flag) => (Flags & flag) != 0;

    public static Http2Frame Read(ReadOnlySpan<byte> header)
        => new((header[0] << 16) | (header[1] << 8) | header[2], header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header[5..]) & 0x7FFF_FFFF));

    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = Type;
        destination[4] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId);
    }
}
