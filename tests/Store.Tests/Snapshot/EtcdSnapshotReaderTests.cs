using System.Buffers.Binary;
using Etcdserverpb;
using MiniKube.Store.Backend;
using MiniKube.Store.Internal;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Snapshot;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Snapshot;

/// <summary>
/// A store's snapshot read back into an empty backend gives the same store: etcd's key bucket
/// (what HashKV hashes and what reads see), the leases and the revision and compaction marks.
/// </summary>
public sealed class EtcdSnapshotReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Snapshot_restored_into_an_empty_backend_holds_the_same_versions_history_leases_and_marks(bool compact)
    {
        await using var store = new StoreHarness();
        var lease = await store.Server.WriteAsync<LeaseGrantResponse>(new InternalRequest { LeaseGrant = new LeaseGrantRequest { ID = 0x5eed, TTL = 600 } }, default);
        await store.PutAsync("/a", "a1");
        await store.PutAsync("/b", "b1", lease: lease.ID);
        await store.TxnAsync(new TxnRequest { Success = { Put("/c", "c1"), Put("/a", "a2"), new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("/b") } } } });
        var middle = (await store.PutAsync("/d\0zero", "d1", lease: lease.ID)).Header.Revision;
        await store.DeleteAsync("/c");
        if (compact)
        {
            await store.CompactAsync(middle);
        }

        await store.PutAsync("/a", "a3");
        await store.TxnAsync(new TxnRequest { Success = { Put("/e", "e1"), Put("/f", "f1") } });

        var restored = new InMemoryBackend();
        var data = EtcdSnapshotReader.Restore(BoltFileReader.Open(Snapshot(store)), restored);

        Assert.Equal(KeyBucket(store.Backend), KeyBucket(restored));
        Assert.Equal(Table(store.Backend, BackendTable.Leases), Table(restored, BackendTable.Leases));
        Assert.Equal(store.Server.Mvcc.Revision, data.Revision);
        Assert.Equal(store.Server.Mvcc.Revision, MetaKeys.ReadLong(restored, MetaKeys.Revision, 0));
        Assert.Equal(compact ? middle : -1, data.CompactRevision);
        Assert.Equal(compact ? middle : -1, MetaKeys.ReadLong(restored, MetaKeys.CompactScheduled, -1));
        Assert.Equal(compact ? middle : -1, MetaKeys.ReadLong(restored, MetaKeys.CompactFinished, -1));
        Assert.Equal((4, 1), (data.Keys, data.Leases)); // /a, /d\0zero, /e, /f
        // The store over the restored backend answers reads at every revision it still has as the original does.
        await using var reopened = new StoreHarness(restored);
        for (var revision = compact ? middle : 1; revision <= data.Revision; revision++)
        {
            Assert.Equal(store.Get("\0", "\0", revision).Kvs, reopened.Get("\0", "\0", revision).Kvs);
        }
    }

    [Fact]
    public async Task Key_bucket_whose_compaction_was_interrupted_is_compacted_as_the_store_compacts()
    {
        // A store that scheduled a compaction but has not removed anything yet: its snapshot still
        // holds every version, and the reader removes what the compaction would have.
        await using var store = new StoreHarness();
        await store.PutAsync("/a", "a1");
        await store.PutAsync("/b", "b1");
        await store.DeleteAsync("/b");
        var at = (await store.PutAsync("/a", "a2")).Header.Revision;
        await store.PutAsync("/a", "a3");
        var full = Snapshot(store);
        await store.CompactAsync(at);

        var restored = new InMemoryBackend();
        var bolt = BoltFileReader.Open(WithCompactionMark(full, at));
        var data = EtcdSnapshotReader.Restore(bolt, restored);

        Assert.Equal(KeyBucket(store.Backend), KeyBucket(restored));
        Assert.Equal(at, data.CompactRevision);
    }

    [Fact]
    public void Snapshot_without_a_key_bucket_is_refused()
    {
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        writer.BeginBucket("meta"u8);
        writer.EndBucket();
        writer.Finish();

        var e = Assert.Throws<InvalidDataException>(() => EtcdSnapshotReader.Restore(BoltFileReader.Open(output.ToArray()), new InMemoryBackend()));

        Assert.Equal("not an etcd snapshot: it has no \"key\" bucket", e.Message);
    }

    [Fact]
    public void Malformed_revision_key_is_reported_with_its_position()
    {
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        writer.BeginBucket("key"u8);
        writer.Add("oops"u8, []);
        writer.EndBucket();
        writer.BeginBucket("meta"u8);
        writer.EndBucket();
        writer.Finish();

        var e = Assert.Throws<InvalidDataException>(() => EtcdSnapshotReader.Restore(BoltFileReader.Open(output.ToArray()), new InMemoryBackend()));

        Assert.StartsWith("bucket key: entry 0 has key 6f6f7073, not a revision", e.Message, StringComparison.Ordinal);
    }

    private static RequestOp Put(string key, string value) => new() { RequestPut = new PutRequest { Key = B(key), Value = B(value) } };

    private static byte[] Snapshot(StoreHarness store)
    {
        using var view = store.Backend.OpenView();
        using var output = new MemoryStream();
        EtcdSnapshotWriter.Write(view, store.Server.Identity, noSpaceAlarm: false, output);
        return output.ToArray();
    }

    /// <summary>The same file with scheduledCompactRev set in its meta bucket, as etcd leaves it when a compaction is cut short.</summary>
    private static byte[] WithCompactionMark(byte[] snapshot, long revision)
    {
        var reader = BoltFileReader.Open(snapshot);
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        foreach (var name in reader.BucketNames())
        {
            writer.BeginBucket(name);
            var pairs = reader.Bucket(name)!.Pairs().ToList();
            if (name.AsSpan().SequenceEqual("meta"u8))
            {
                var mark = new byte[17];
                BinaryPrimitives.WriteInt64BigEndian(mark, revision);
                mark[8] = (byte)'_';
                pairs.Add(("scheduledCompactRev"u8.ToArray(), mark));
                pairs.Sort((a, b) => a.Item1.AsSpan().SequenceCompareTo(b.Item1));
            }

            foreach (var (key, value) in pairs)
            {
                writer.Add(key, value);
            }

            writer.EndBucket();
        }

        writer.Finish();
        return output.ToArray();
    }

    private static List<string> KeyBucket(InMemoryBackend backend)
    {
        var entries = new List<string>();
        using var view = backend.OpenView();
        EtcdKeyBucket.ForEach(view, (revisionKey, _, _, keyValue) =>
        {
            entries.Add($"{Convert.ToHexStringLower(revisionKey)}={Convert.ToHexStringLower(keyValue)}");
            return true;
        });
        return entries;
    }

    private static List<string> Table(InMemoryBackend backend, BackendTable table)
    {
        var entries = new List<string>();
        using var it = backend.Iterate(table);
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            entries.Add($"{Convert.ToHexStringLower(it.Key)}={Convert.ToHexStringLower(it.Value)}");
        }

        return entries;
    }
}
