namespace MiniKube.Store.Mvcc;

public sealed partial class MvccStore
{
    /// <summary>
    /// etcd's HashKV (mvcc/kvstore.go HashByRev), over the same bytes: a CRC-32C of "key" and of
    /// every entry of etcd's key bucket (<see cref="EtcdKeyBucket"/>) up to
    /// <paramref name="revision"/> (0 = the current one), leaving out, below the compaction, the
    /// versions a compaction at <paramref name="revision"/> would remove. So it is the hash a real
    /// etcd gives after the same writes, and it does not depend on how far physical compaction has
    /// got: members that applied the same log agree on it.
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

        // etcd filters by its index's keep set only when that set is not empty, that is when
        // some key is live at the revision.
        var anyLive = false;
        VersionScanner.Scan(view, KeyRange.From([0]), atRevision, (_, _) =>
        {
            anyLive = true;
            return false;
        });

        var crc = Crc32C.Append(0, "key"u8);
        EtcdKeyBucket.ForEach(view, (revisionKey, version, userKey, keyValue) =>
        {
            if (version.Main > atRevision)
            {
                return false; // the bucket is in revision order: nothing further counts
            }

            // At or below the compaction only what a compaction at the revision would keep: the
            // key's newest version up to it, if live.
            if (version.Main <= compacted && anyLive && VersionScanner.Get(view, userKey, atRevision)?.ModRevision != version.Main)
            {
                return true;
            }

            crc = Crc32C.Append(crc, revisionKey);
            crc = Crc32C.Append(crc, keyValue);
            return true;
        });

        return (crc, current, compacted);
    }
}
