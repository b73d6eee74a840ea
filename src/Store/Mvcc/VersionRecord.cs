using System.Buffers.Binary;

namespace MiniKube.Store.Mvcc;

/// <summary>
/// The value of a keys-table entry: either a live version or a deletion marker (tombstone).
/// Layout: <c>kind(1) createRevision(BE64) version(BE64) lease(BE64) value(rest)</c>; a
/// tombstone is the single kind byte. The mod revision is in the entry's key.
/// </summary>
public static class VersionRecord
{
    public const byte KindLive = 1;
    public const byte KindTombstone = 2;
    private const int HeaderLength = 25;

    public static readonly byte[] Tombstone = [KindTombstone];

    public static byte[] Encode(long createRevision, long version, long lease, ReadOnlySpan<byte> value)
    {
        var buffer = new byte[HeaderLength + value.Length];
        buffer[0] = KindLive;
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(1), createRevision);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(9), version);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(17), lease);
        value.CopyTo(buffer.AsSpan(HeaderLength));
        return buffer;
    }

    public static bool IsTombstone(ReadOnlySpan<byte> record) => record[0] == KindTombstone;

    public static long CreateRevision(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64BigEndian(record[1..]);

    public static long Version(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64BigEndian(record[9..]);

    public static long Lease(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64BigEndian(record[17..]);

    public static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> record) => record[HeaderLength..];

    public static void Validate(ReadOnlySpan<byte> record)
    {
        if (record.Length == 0 || (record[0] == KindLive && record.Length < HeaderLength) || record[0] is not (KindLive or KindTombstone))
        {
            throw new InvalidDataException("corrupt version record in the keys table");
        }
    }
}
