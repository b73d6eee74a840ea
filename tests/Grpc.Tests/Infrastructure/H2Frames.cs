using MiniKube.Grpc.Http2;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>HTTP/2 frames as bytes, for feeding the rewriter or a raw connection.</summary>
internal static class H2Frames
{
    public static byte[] Preface => [.. Http2Frame.ClientPreface];

    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[Http2Frame.HeaderSize + payload.Length];
        new Http2Frame(payload.Length, type, flags, streamId).Write(bytes);
        payload.CopyTo(bytes.AsSpan(Http2Frame.HeaderSize));
        return bytes;
    }

    public static byte[] Settings(bool ack = false) => Frame(0x4, ack ? (byte)0x1 : (byte)0, 0, []);

    public static byte[] WindowUpdate(int streamId, int increment) => Frame(0x8, 0, streamId, [(byte)(increment >> 24), (byte)(increment >> 16), (byte)(increment >> 8), (byte)increment]);

    public static byte[] Data(int streamId, ReadOnlySpan<byte> payload, bool endStream = true)
        => Frame(0x0, endStream ? Http2Frame.FlagEndStream : (byte)0, streamId, payload);

    /// <summary>A HEADERS frame; with <paramref name="padLength"/> it is PADDED, with <paramref name="priority"/> it carries PRIORITY.</summary>
    public static byte[] Headers(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders = true, bool endStream = false, int? padLength = null, byte[]? priority = null)
    {
        var payload = new List<byte>();
        byte flags = 0;
        if (padLength is { } pad)
        {
            flags |= Http2Frame.FlagPadded;
            payload.Add((byte)pad);
        }

        if (priority is not null)
        {
            flags |= Http2Frame.FlagPriority;
            payload.AddRange(priority);
        }

        payload.AddRange(fragment.ToArray());
        payload.AddRange(new byte[padLength ?? 0]);
        if (endHeaders)
        {
            flags |= Http2Frame.FlagEndHeaders;
        }

        if (endStream)
        {
            flags |= Http2Frame.FlagEndStream;
        }

        return Frame(Http2Frame.TypeHeaders, flags, streamId, payload.ToArray());
    }

    public static byte[] Continuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
        => Frame(Http2Frame.TypeContinuation, endHeaders ? Http2Frame.FlagEndHeaders : (byte)0, streamId, fragment);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
