namespace MiniKube.Store.Mvcc;

/// <summary>The value of a history entry: <c>type(1 byte) userKey</c>.</summary>
public static class HistoryRecord
{
    public static byte[] Encode(Mvccpb.Event.Types.EventType type, ReadOnlySpan<byte> userKey)
    {
        var buffer = new byte[1 + userKey.Length];
        buffer[0] = (byte)type;
        userKey.CopyTo(buffer.AsSpan(1));
        return buffer;
    }

    public static Mvccpb.Event.Types.EventType Type(ReadOnlySpan<byte> record) => (Mvccpb.Event.Types.EventType)record[0];

    public static ReadOnlySpan<byte> UserKey(ReadOnlySpan<byte> record) => record[1..];
}
