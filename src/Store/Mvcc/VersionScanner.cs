using System.Buffers.Binary;
using Google.Protobuf;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

/// <summary>Receives one version; returns false to stop the scan. The spans die with the call.</summary>
public delegate bool VersionVisitor(ReadOnlySpan<byte> versionKey, ReadOnlySpan<byte> record);

/// <summary>Reads the keys table: what a range of keys held at a revision.</summary>
public static class VersionScanner
{
    private const int MaxStepsBeforeSeek = 8;

    /// <summary>
    /// Visits, in key order, the newest version at or below <paramref name="atRevision"/> of every
    /// key in <paramref name="range"/>, skipping keys that were deleted then.
    /// </summary>
    public static void Scan(IBackendReader reader, KeyRange range, long atRevision, VersionVisitor visit)
    {
        using var it = OpenIterator(reader, range);
        Scan(it, atRevision, visit);
    }

    /// <summary>An iterator over every version of every key in <paramref name="range"/>.</summary>
    public static IBackendIterator OpenIterator(IBackendReader reader, KeyRange range)
    {
        var (lower, upper) = range.EncodedBounds();
        if (upper is not null && lower.AsSpan().SequenceCompareTo(upper) >= 0)
        {
            upper = lower; // an empty or inverted range: an iterator that yields nothing
        }

        return reader.Iterate(BackendTable.Keys, lower, upper);
    }

    /// <summary>As <see cref="Scan(IBackendReader, KeyRange, long, VersionVisitor)"/>, over an iterator from <see cref="OpenIterator"/>.</summary>
    public static void Scan(IBackendIterator it, long atRevision, VersionVisitor visit)
    {
        var group = new byte[64];
        it.SeekToFirst();
        while (it.Valid)
        {
            var key = it.Key;
            var groupLength = key.Length - KeyEncoding.RevisionSuffixLength;
            if (KeyEncoding.ModRevisionOf(key) > atRevision)
            {
                // Newer than the read: jump straight to this key's version at the read revision.
                var seekTo = CopyGroup(key, groupLength, ref group, extra: KeyEncoding.RevisionSuffixLength);
                BinaryPrimitives.WriteInt64BigEndian(seekTo[groupLength..], ~atRevision);
                it.Seek(seekTo);
                continue;
            }

            var record = it.Value;
            VersionRecord.Validate(record);
            if (!VersionRecord.IsTombstone(record) && !visit(key, record))
            {
                return;
            }

            // Older versions of this key follow; skip them. Stepping is much cheaper than seeking
            // and keys rarely have many versions between compactions, so seek only past a few.
            CopyGroup(key, groupLength, ref group, extra: 0);
            it.Next();
            for (var steps = 1; it.Valid && IsSameGroup(it.Key, group.AsSpan(0, groupLength)); steps++)
            {
                if (steps == MaxStepsBeforeSeek)
                {
                    var after = group.AsSpan(0, groupLength).ToArray();
                    after[^1]++; // terminator 0x01 → 0x02: past every version of this key
                    it.Seek(after);
                    break;
                }

                it.Next();
            }
        }
    }

    /// <summary>The newest version of <paramref name="userKey"/> at or below <paramref name="atRevision"/>, if live.</summary>
    public static Mvccpb.KeyValue? Get(IBackendReader reader, byte[] userKey, long atRevision)
    {
        Mvccpb.KeyValue? found = null;
        Scan(reader, KeyRange.ForKey(userKey), atRevision, (key, record) =>
        {
            found = ToKeyValue(key, record, keysOnly: false);
            return false;
        });
        return found;
    }

    public static Mvccpb.KeyValue ToKeyValue(ReadOnlySpan<byte> versionKey, ReadOnlySpan<byte> record, bool keysOnly)
    {
        var kv = new Mvccpb.KeyValue
        {
            Key = UnsafeByteOperations.UnsafeWrap(KeyEncoding.UserKeyOf(versionKey)),
            ModRevision = KeyEncoding.ModRevisionOf(versionKey),
            CreateRevision = VersionRecord.CreateRevision(record),
            Version = VersionRecord.Version(record),
            Lease = VersionRecord.Lease(record),
        };
        if (!keysOnly)
        {
            var value = VersionRecord.Value(record);
            if (value.Length > 0)
            {
                kv.Value = UnsafeByteOperations.UnsafeWrap(value.ToArray());
            }
        }

        return kv;
    }

    private static bool IsSameGroup(ReadOnlySpan<byte> versionKey, ReadOnlySpan<byte> group) =>
        versionKey.Length == group.Length + KeyEncoding.RevisionSuffixLength && versionKey.StartsWith(group);

    private static Span<byte> CopyGroup(ReadOnlySpan<byte> versionKey, int groupLength, ref byte[] buffer, int extra)
    {
        if (buffer.Length < groupLength + extra)
        {
            buffer = new byte[Math.Max(buffer.Length * 2, groupLength + extra)];
        }

        versionKey[..groupLength].CopyTo(buffer);
        return buffer.AsSpan(0, groupLength + extra);
    }
}
