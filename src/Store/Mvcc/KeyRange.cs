using Google.Protobuf;

namespace MiniKube.Store.Mvcc;

/// <summary>
/// The keys a request names, with etcd's conventions: no range end means the single key; a range
/// end of "\0" means every key from <see cref="Key"/> on; otherwise [Key, End).
/// </summary>
public readonly struct KeyRange
{
    private KeyRange(byte[] key, byte[]? end)
    {
        Key = key;
        End = end;
    }

    public byte[] Key { get; }

    /// <summary>Null for a single key, empty for "to the end of the keyspace".</summary>
    public byte[]? End { get; }

    public bool IsSingleKey => End is null;

    public bool IsUnbounded => End is { Length: 0 };

    public static KeyRange ForKey(byte[] key) => new(key, null);

    public static KeyRange From(byte[] key) => new(key, []);

    public static KeyRange Between(byte[] key, byte[] end) => new(key, end);

    /// <summary>Interprets a request's key and range_end as etcd does.</summary>
    public static KeyRange FromRequest(ByteString key, ByteString rangeEnd)
    {
        if (rangeEnd.Length == 0)
        {
            return ForKey(key.ToByteArray());
        }

        return rangeEnd.Length == 1 && rangeEnd[0] == 0 ? From(key.ToByteArray()) : Between(key.ToByteArray(), rangeEnd.ToByteArray());
    }

    public bool Contains(ReadOnlySpan<byte> userKey)
    {
        if (End is null)
        {
            return userKey.SequenceEqual(Key);
        }

        return userKey.SequenceCompareTo(Key) >= 0 && (End.Length == 0 || userKey.SequenceCompareTo(End) < 0);
    }

    /// <summary>The keys-table bounds that hold every version of every key in this range.</summary>
    public (byte[] Lower, byte[]? Upper) EncodedBounds() => End switch
    {
        null => (KeyEncoding.VersionsPrefix(Key), KeyEncoding.AfterVersions(Key)),
        { Length: 0 } => (KeyEncoding.RangeBound(Key), null),
        _ => (KeyEncoding.RangeBound(Key), KeyEncoding.RangeBound(End)),
    };
}
