using System.Buffers.Binary;
using Google.Protobuf;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

/// <summary>Receives one entry of etcd's key bucket; returns false to stop.</summary>
public delegate bool EtcdKeyVisitor(byte[] revisionKey, Revision revision, byte[] userKey, byte[] keyValue);

/// <summary>
/// The store's versions as etcd 3.4 keeps them in its backend's "key" bucket, in that bucket's
/// order: under <c>BE64(main) '_' BE64(sub)</c> (a deletion with a trailing 't'), the marshalled
/// <c>mvccpb.KeyValue</c> (just the key for a deletion). Snapshots are written from it and
/// HashKV hashes it, byte for byte as etcd does, so both agree with a real etcd's.
/// </summary>
/// <remarks>
/// The store keeps sub revisions in its history only, so versions whose history was compacted
/// away are numbered within their revision in key order: the newest version of each key at or
/// below the compaction, which is all that survives of those revisions. Only where a compacted
/// revision's transaction kept several keys can the numbering differ from etcd's.
/// </remarks>
public static class EtcdKeyBucket
{
    private const byte RevisionSeparator = (byte)'_';
    private const byte TombstoneMark = (byte)'t';

    public static void ForEach(IBackendReader view, EtcdKeyVisitor visit)
    {
        var historyStart = long.MaxValue;
        using (var history = view.Iterate(BackendTable.History))
        {
            history.SeekToFirst();
            if (history.Valid)
            {
                historyStart = KeyEncoding.RevisionOfHistoryKey(history.Key).Main;
            }
        }

        // Versions older than the history: one per key at most, numbered within their revision.
        var older = new List<(long Revision, byte[] VersionKey)>();
        using (var versions = view.Iterate(BackendTable.Keys))
        {
            for (versions.SeekToFirst(); versions.Valid; versions.Next())
            {
                var revision = KeyEncoding.ModRevisionOf(versions.Key);
                if (revision < historyStart)
                {
                    older.Add((revision, versions.Key.ToArray()));
                }
            }
        }

        older.Sort((a, b) => a.Revision != b.Revision ? a.Revision.CompareTo(b.Revision) : a.VersionKey.AsSpan().SequenceCompareTo(b.VersionKey));
        var sub = 0;
        for (var i = 0; i < older.Count; i++)
        {
            sub = i > 0 && older[i - 1].Revision == older[i].Revision ? sub + 1 : 0;
            var (revision, versionKey) = older[i];
            if (!Visit(visit, new Revision(revision, sub), KeyEncoding.UserKeyOf(versionKey), versionKey, view.Get(BackendTable.Keys, versionKey)!))
            {
                return;
            }
        }

        using var events = view.Iterate(BackendTable.History);
        for (events.SeekToFirst(); events.Valid; events.Next())
        {
            var revision = KeyEncoding.RevisionOfHistoryKey(events.Key);
            var userKey = HistoryRecord.UserKey(events.Value).ToArray();
            var versionKey = KeyEncoding.VersionKey(userKey, revision.Main);
            var record = HistoryRecord.Type(events.Value) == Mvccpb.Event.Types.EventType.Delete
                ? VersionRecord.Tombstone
                : view.Get(BackendTable.Keys, versionKey);

            // Missing only while a compaction is removing this revision: it is gone either way.
            if (record is not null && !Visit(visit, revision, userKey, versionKey, record))
            {
                return;
            }
        }
    }

    /// <summary>etcd's revToBytes: BE64(main) '_' BE64(sub), and a 't' for a deletion.</summary>
    public static byte[] RevisionKey(Revision revision, bool tombstone)
    {
        var key = new byte[tombstone ? 18 : 17];
        BinaryPrimitives.WriteInt64BigEndian(key, revision.Main);
        key[8] = RevisionSeparator;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(9), revision.Sub);
        if (tombstone)
        {
            key[17] = TombstoneMark;
        }

        return key;
    }

    private static bool Visit(EtcdKeyVisitor visit, Revision revision, byte[] userKey, byte[] versionKey, byte[] record)
    {
        var tombstone = VersionRecord.IsTombstone(record);
        var keyValue = tombstone
            ? new Mvccpb.KeyValue { Key = UnsafeByteOperations.UnsafeWrap(userKey) }
            : VersionScanner.ToKeyValue(versionKey, record, keysOnly: false);
        return visit(RevisionKey(revision, tombstone), revision, userKey, keyValue.ToByteArray());
    }
}
