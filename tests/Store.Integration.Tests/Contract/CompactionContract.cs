using System.Runtime.CompilerServices;
using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// Compaction as etcd 3.4 does it: history below the compaction revision is gone for reads,
/// transactions, watches and hashes; the latest state and everything at or above it stays.
/// Each test compacts at a revision it wrote, above the compactions of earlier tests.
/// </summary>
public abstract class CompactionContract(ServerFixture server)
{
    private const string Compacted = "etcdserver: mvcc: required revision has been compacted";
    private const string Future = "etcdserver: mvcc: required revision is a future revision";

    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("compact/" + test);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_below_the_compaction_revision_are_OutOfRange_and_at_or_above_it_intact(bool physical)
    {
        var p = Prefix() + physical + "/";
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        await Api.PutAsync(p + "gone", "x");
        var r4 = (await Api.DeleteAsync(p + "gone")).Header.Revision;
        await Api.PutAsync(p + "old", "kept"); // its only version is below the compaction revision
        var r6 = (await Api.PutAsync(p + "k", "v3")).Header.Revision;
        var r7 = (await Api.PutAsync(p + "k", "v4")).Header.Revision;

        var compact = await Api.CompactAsync(r6, physical);

        Assert.Equal(r7, compact.Header.Revision);
        Assert.NotEqual(0UL, compact.Header.ClusterId);
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.GetAsync(p + "k", r6 - 1));
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.GetPrefixAsync(p, r1));
        var at = await Api.GetPrefixAsync(p, r6);
        Assert.Equal([("k", "v3", r1, r6, 3L), ("old", "kept", r6 - 1, r6 - 1, 1L)], at.Kvs.Select(Describe(p)));
        var latest = await Api.GetPrefixAsync(p);
        Assert.Equal([("k", "v4", r1, r7, 4L), ("old", "kept", r6 - 1, r6 - 1, 1L)], latest.Kvs.Select(Describe(p)));
        Assert.Equal(latest.Kvs, (await Api.GetPrefixAsync(p, r7)).Kvs);
        _ = (r2, r4);
    }

    [Fact]
    public async Task Compacting_at_or_below_the_last_compaction_is_OutOfRange_compacted()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        await Api.CompactAsync(r2);

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.CompactAsync(r2));
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.CompactAsync(r1, physical: true));
    }

    [Fact]
    public async Task Compacting_a_future_revision_is_OutOfRange_future_and_the_current_one_is_allowed()
    {
        var p = Prefix();
        var current = (await Api.PutAsync(p + "k", "v")).Header.Revision;

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Future, () => Api.CompactAsync(current + 1));
        await Api.CompactAsync(current);

        Assert.Equal(current, Assert.Single((await Api.GetAsync(p + "k", current)).Kvs).ModRevision);
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.GetAsync(p + "k", current - 1));
    }

    [Fact]
    public async Task A_txn_reading_below_the_compaction_revision_fails_whole()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        await Api.CompactAsync(r2);

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.TxnAsync(Op.Txn([], [Op.Get(p + "k", r1)])));
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.TxnAsync(Op.Txn([], [Op.Put(p + "new", "v"), Op.Get(p + "k", r1)])));
        Assert.Empty((await Api.GetAsync(p + "new")).Kvs);
        Assert.Equal("v2", S((await Api.TxnAsync(Op.Txn([], [Op.Get(p + "k", r2)]))).Responses[0].ResponseRange.Kvs[0].Value));
    }

    [Fact]
    public async Task A_watch_from_below_the_compaction_revision_is_created_then_canceled_with_the_compact_revision()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        await Api.CompactAsync(r2);
        await using var watch = await Api.WatchAsync();

        var created = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), StartRevision = r1 });
        var canceled = await watch.NextAsync();

        Assert.False(created.Canceled);
        Assert.True(canceled.Canceled);
        Assert.Equal(created.WatchId, canceled.WatchId);
        Assert.Equal(r2, canceled.CompactRevision);
        Assert.Empty(canceled.Events);
        Assert.Equal(0, canceled.Header.Revision); // etcd 3.4 sends this response with an empty revision
    }

    [Fact]
    public async Task A_watch_from_the_compaction_revision_replays_from_there()
    {
        var p = Prefix();
        await Api.PutAsync(p + "k", "v1");
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        var r3 = (await Api.PutAsync(p + "k", "v3")).Header.Revision;
        await Api.CompactAsync(r2, physical: true);
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), StartRevision = r2, PrevKv = true });
        var events = await watch.EventsAsync(2);

        Assert.Equal([r2, r3], events.Select(e => e.Kv.ModRevision));
        Assert.Equal("v2", S(events[1].PrevKv.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replayed_event_at_the_compaction_revision_has_no_prev_kv_since_its_previous_revision_is_compacted(bool physical)
    {
        var p = Prefix() + physical + "/";
        await Api.PutAsync(p + "k", "v1");
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        await Api.CompactAsync(r2, physical);
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), StartRevision = r2, PrevKv = true });
        var replayed = Assert.Single(await watch.EventsAsync(1));

        Assert.Equal(r2, replayed.Kv.ModRevision);
        Assert.Null(replayed.PrevKv);
    }

    [Fact]
    public async Task HashKV_reports_the_compaction_and_refuses_revisions_at_or_below_it()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        var r2 = (await Api.PutAsync(p + "k", "v2")).Header.Revision;
        var r3 = (await Api.PutAsync(p + "k", "v3")).Header.Revision;

        await Api.CompactAsync(r2, physical: true);

        var after = await Api.HashKVAsync(r3);
        Assert.Equal(r2, after.CompactRevision);
        Assert.Equal(r3, after.Header.Revision);
        Assert.NotEqual(0u, after.Hash);
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.HashKVAsync(r2));
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, Compacted, () => Api.HashKVAsync(r1));
    }

    private static Func<Mvccpb.KeyValue, (string, string, long, long, long)> Describe(string prefix) =>
        kv => (S(kv.Key)[prefix.Length..], S(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version);
}

public sealed class CompactionContractOnMiniKube(MiniKubeFixture server) : CompactionContract(server), IClassFixture<MiniKubeFixture>;

public sealed class CompactionContractOnEtcd(EtcdFixture server) : CompactionContract(server), IClassFixture<EtcdFixture>;
