using System.Buffers.Binary;
using Google.Protobuf;
using MiniKube.Store.Backend;
using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Snapshot;

/// <summary>
/// Reads etcd's buckets out of a snapshot (one MiniKube or etcd 3.4 wrote) into MiniKube's
/// backend: the versions and history (from "key"), the leases ("lease") and the revision and
/// compaction marks ("meta"). The reverse of <see cref="EtcdSnapshotWriter"/>.
/// </summary>
/// <remarks>
/// etcd's key bucket is ordered by revision; MiniKube keeps versions by key and events by
/// revision (see <see cref="KeyEncoding"/>). Every entry at or above the compaction revision C
/// becomes an event; of the versions, those above C are kept and, for each key, the newest at or
/// below C unless it is a deletion: exactly what MiniKube's compaction leaves, so a compaction
/// that a crash interrupted in etcd is completed here.
/// </remarks>
public static class EtcdSnapshotReader
{
    private const int BatchSize = 10_000;
    private static readonly byte[] KeyBucket = "key"u8.ToArray();

    public static EtcdSnapshotStatus Status(BoltFileReader bolt)
    {
        ArgumentNullException.ThrowIfNull(bolt);
        var hash = 0u;
        long revision = 0;
        long total = 0;
        foreach (var name in bolt.BucketNames())
        {
            hash = Crc32C.Append(hash, name);
            var isKeyBucket = name.AsSpan().SequenceEqual(KeyBucket);
            foreach (var entry in bolt.Bucket(name)!.Entries())
            {
                // bbolt's ForEach gives a nested bucket's value as nil.
                hash = Crc32C.Append(hash, entry.Key);
                hash = Crc32C.Append(hash, entry.IsBucket ? [] : entry.Value);
                if (isKeyBucket && entry.Key.Length >= 8)
                {
                    revision = BinaryPrimitives.ReadInt64BigEndian(entry.Key);
                }

                total++;
            }
        }

        return new EtcdSnapshotStatus(hash, revision, total, bolt.Size);
    }

    /// <summary>
    /// Writes the snapshot's data into <paramref name="backend"/>, which must be empty, and syncs.
    /// The member's identity and applied index are not written: see <see cref="SnapshotRestore.WriteMemberMetadata"/>.
    /// </summary>
    public static RestoredData Restore(BoltFileReader bolt, IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(bolt);
        ArgumentNullException.ThrowIfNull(backend);
        var keyBucket = bolt.Bucket(KeyBucket) ?? throw new InvalidDataException("not an etcd snapshot: it has no \"key\" bucket");
        var meta = bolt.Bucket("meta"u8) ?? throw new InvalidDataException("not an etcd snapshot: it has no \"meta\" bucket");
        var metaValues = meta.Pairs().ToDictionary(p => System.Text.Encoding.ASCII.GetString(p.Key), p => p.Value);
        var compact = Math.Max(CompactMark(metaValues, "scheduledCompactRev"), CompactMark(metaValues, "finishedCompactRev"));
        var consistentIndex = metaValues.TryGetValue("consistent_index", out var index) && index.Length == 8 ? (long)BinaryPrimitives.ReadUInt64BigEndian(index) : 0;

        using var writer = new BatchWriter(backend);
        // Per key, the newest version at or below the compaction: kept unless a deletion.
        var compacted = new Dictionary<string, (long Main, Mvccpb.KeyValue? Live)>(StringComparer.Ordinal);
        var live = new HashSet<string>(StringComparer.Ordinal);
        long revision = 1;
        long versions = 0;
        foreach (var (revisionKey, value) in keyBucket.Pairs())
        {
            var (main, sub, tombstone) = ParseRevisionKey(revisionKey, versions);
            var keyValue = ParseKeyValue(value, revisionKey);
            var userKey = keyValue.Key.ToByteArray();
            var name = Convert.ToBase64String(userKey);
            if (tombstone)
            {
                live.Remove(name);
            }
            else
            {
                live.Add(name);
            }

            revision = Math.Max(revision, main);
            versions++;
            if (main >= compact)
            {
                if (sub > int.MaxValue)
                {
                    throw new InvalidDataException($"bucket key: revision {main}.{sub} has a sub revision beyond what the store keeps");
                }

                writer.Put(BackendTable.History, KeyEncoding.HistoryKey(new Revision(main, (int)sub)),
                    HistoryRecord.Encode(tombstone ? Mvccpb.Event.Types.EventType.Delete : Mvccpb.Event.Types.EventType.Put, userKey));
            }

            if (main > compact)
            {
                writer.Put(BackendTable.Keys, KeyEncoding.VersionKey(userKey, main), Record(keyValue, tombstone));
            }
            else
            {
                compacted[name] = (main, tombstone ? null : keyValue);
            }
        }

        foreach (var (main, keyValue) in compacted.Values)
        {
            if (keyValue is not null)
            {
                writer.Put(BackendTable.Keys, KeyEncoding.VersionKey(keyValue.Key.Span, main), Record(keyValue, tombstone: false));
            }
        }

        var leases = 0;
        if (bolt.Bucket("lease"u8) is { } leaseBucket)
        {
            foreach (var (key, value) in leaseBucket.Pairs())
            {
                var (id, ttl) = ParseLease(value);
                var leaseKey = new byte[8];
                var ttlValue = new byte[8];
                BinaryPrimitives.WriteInt64BigEndian(leaseKey, id);
                BinaryPrimitives.WriteInt64BigEndian(ttlValue, ttl);
                writer.Put(BackendTable.Leases, leaseKey, ttlValue);
                leases++;
            }
        }

        // etcd never lets the revision fall below the compaction (all keys deleted and compacted).
        revision = Math.Max(revision, compact);
        writer.Put(BackendTable.Meta, MetaKeys.Revision, BigEndian(revision));
        if (compact > 0)
        {
            writer.Put(BackendTable.Meta, MetaKeys.CompactScheduled, BigEndian(compact));
            writer.Put(BackendTable.Meta, MetaKeys.CompactFinished, BigEndian(compact));
        }

        writer.Flush();
        backend.Sync();
        return new RestoredData(revision, compact > 0 ? compact : -1, live.Count, versions, leases, consistentIndex);
    }

    /// <summary>etcd's revToBytes: BE64(main) '_' BE64(sub), and a 't' for a deletion.</summary>
    private static (long Main, long Sub, bool Tombstone) ParseRevisionKey(byte[] key, long position)
    {
        if (key.Length is not (17 or 18) || key[8] != (byte)'_' || (key.Length == 18 && key[17] != (byte)'t'))
        {
            throw new InvalidDataException($"bucket key: entry {position} has key {Convert.ToHexStringLower(key)}, not a revision (BE64 main '_' BE64 sub, 't' for a deletion)");
        }

        return (BinaryPrimitives.ReadInt64BigEndian(key), BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(9)), key.Length == 18);
    }

    private static Mvccpb.KeyValue ParseKeyValue(byte[] value, byte[] revisionKey)
    {
        try
        {
            return Mvccpb.KeyValue.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"bucket key: the value at revision {Convert.ToHexStringLower(revisionKey)} is not an mvccpb.KeyValue: {e.Message}", e);
        }
    }

    private static byte[] Record(Mvccpb.KeyValue keyValue, bool tombstone) =>
        tombstone ? VersionRecord.Tombstone : VersionRecord.Encode(keyValue.CreateRevision, keyValue.Version, keyValue.Lease, keyValue.Value.Span);

    /// <summary>leasepb.Lease { int64 ID = 1; int64 TTL = 2; int64 RemainingTTL = 3; }.</summary>
    private static (long Id, long Ttl) ParseLease(byte[] value)
    {
        try
        {
            var input = new CodedInputStream(value);
            long id = 0, ttl = 0;
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        id = input.ReadInt64();
                        break;
                    case 2:
                        ttl = input.ReadInt64();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            return (id, ttl);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"bucket lease: a value is not a leasepb.Lease: {e.Message}", e);
        }
    }

    /// <summary>The meta bucket's compaction marks are revision keys; absent is -1.</summary>
    private static long CompactMark(Dictionary<string, byte[]> meta, string name) =>
        meta.TryGetValue(name, out var value) ? value.Length >= 8 ? BinaryPrimitives.ReadInt64BigEndian(value) : throw new InvalidDataException($"bucket meta: {name} is {value.Length} bytes") : -1;

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Puts gathered into batches of a bounded size.</summary>
    private sealed class BatchWriter(IBackend backend) : IDisposable
    {
        private IBackendBatch _batch = backend.CreateBatch();

        public void Put(BackendTable table, byte[] key, byte[] value)
        {
            _batch.Put(table, key, value);
            if (_batch.Count >= BatchSize)
            {
                Flush();
            }
        }

        public void Flush()
        {
            backend.Write(_batch);
            _batch.Dispose();
            _batch = backend.CreateBatch();
        }

        public void Dispose() => _batch.Dispose();
    }
}
