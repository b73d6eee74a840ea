using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>Range ends as etcd reads them: a prefix's end, and "\0" for "every key from here".</summary>
public static class EtcdKeys
{
    /// <summary>A range end of "\0": the range runs from its key to the end of the keyspace.</summary>
    public static readonly ByteString AllFrom = ByteString.CopyFrom(0);

    /// <summary>
    /// The range end that covers exactly the keys starting with <paramref name="prefix"/>: the
    /// prefix with its last byte below 0xff incremented and the rest dropped; "\0" (every key
    /// from it) when there is no such byte (clientv3.GetPrefixRangeEnd).
    /// </summary>
    public static ByteString PrefixEnd(ByteString prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var span = prefix.Span;
        for (var i = span.Length - 1; i >= 0; i--)
        {
            if (span[i] < 0xff)
            {
                var end = span[..(i + 1)].ToArray();
                end[i]++;
                return UnsafeByteOperations.UnsafeWrap(end);
            }
        }

        return AllFrom;
    }

    /// <summary>The key and range end for a key plus its prefix/from-key/range-end options (clientv3's op.applyOpts).</summary>
    internal static (ByteString Key, ByteString RangeEnd) Resolve(ByteString key, ByteString? rangeEnd, bool prefix, bool fromKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        if ((prefix ? 1 : 0) + (fromKey ? 1 : 0) + (rangeEnd is { IsEmpty: false } ? 1 : 0) > 1)
        {
            throw new ArgumentException("Prefix, FromKey and RangeEnd are mutually exclusive.");
        }

        if (prefix)
        {
            return key.IsEmpty ? (AllFrom, AllFrom) : (key, PrefixEnd(key));
        }

        if (fromKey)
        {
            return (key.IsEmpty ? AllFrom : key, AllFrom);
        }

        return (key, rangeEnd ?? ByteString.Empty);
    }
}
