using System.Buffers.Binary;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

public sealed partial class MvccStore
{
    /// <summary>
    /// A CRC-32C over the history that reads at or above the compaction revision can still see, up
    /// to <paramref name="revision"/> (0 = the current one). It depends only on the sequence of
    /// writes and compactions, not on how far physical compaction has got, so members that applied
    /// the same log agree on it.
    /// </summary>
    public (uint Hash, long Revision, long CompactRevision) HashKV(long revision)
    {
        var current = Revision;
        var compacted = CompactRevision;
        if (revision > 0 && revision <= compacted)
        {
            throw new MvccException(MvccError.Compacted);
        }

        var atRevision = ResolveReadRevision(revision, current);
        using var view = _backend.OpenView();
        uint crc = 0;
        Span<byte> revisionBytes = stackalloc byte[8];
        byte[]? group = null;
        var keptAtCompaction = false;
        using var it = view.Iterate(BackendTable.Keys);
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var key = it.Key;
            var modRevision = KeyEncoding.ModRevisionOf(key);
            var keyGroup = KeyEncoding.VersionGroup(key);
            if (group is null || !keyGroup.SequenceEqual(group))
            {
                group = keyGroup.ToArray();
                keptAtCompaction = false;
            }

            if (modRevision > atRevision)
            {
                continue;
            }

            if (modRevision <= compacted)
            {
                // Only the newest version at or below the compaction revision survives it, and only if live.
                if (keptAtCompaction)
                {
                    continue;
                }

                keptAtCompaction = true;
                if (VersionRecord.IsTombstone(it.Value))
                {
                    continue;
                }
            }

            crc = Crc32C.Append(crc, key);
            BinaryPrimitives.WriteInt64BigEndian(revisionBytes, modRevision);
            crc = Crc32C.Append(crc, revisionBytes);
            crc = Crc32C.Append(crc, it.Value);
        }

        return (crc, current, compacted);
    }
}
