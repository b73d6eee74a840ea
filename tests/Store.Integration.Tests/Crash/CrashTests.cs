using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using Xunit.Abstractions;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Crash;

/// <summary>
/// The store as a child process killed with SIGKILL at a seeded random moment, then restarted on
/// its data directory: every acknowledged write must be there at its acknowledged revision, the
/// history must be contiguous with one whole write per revision, and the store must go on.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Writers = 16;

    public static TheoryData<int> Seeds => [11, 23, 37, 41, 59];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Kill_9_during_concurrent_writes_loses_no_acknowledged_write_and_applies_no_half_txn(int seed)
    {
        var random = new Random(seed);
        await using var store = await MiniKubeStore.StartAsync();
        const string Prefix = "/crash/";
        CrashWorkload workload;
        using (var channel = GrpcChannel.ForAddress(store.ClientUrl))
        {
            workload = new CrashWorkload(new EtcdApi(channel), Prefix, Writers, seed);
            var writing = workload.RunAsync();

            // The first calls pay for connections and JIT; the random moment counts from when writes flow.
            await Expect.EventuallyAsync(() => Task.FromResult(workload.Acknowledged.Count >= 4 * Writers || writing.IsCompleted), TimeSpan.FromSeconds(20), "the first writes");
            await Task.Delay(random.Next(50, 500));

            await store.Process.KillAsync();
            workload.Stop();
            await writing;
        }

        await store.KillAndRestartAsync();

        using var after = GrpcChannel.ForAddress(store.ClientUrl);
        var api = new EtcdApi(after);
        await api.WaitUntilServingAsync();
        var because = $"(seed {seed}, {workload.Acknowledged.Count} of {workload.Attempted.Count} writes acknowledged)";
        output.WriteLine($"seed {seed}: {workload.Acknowledged.Count} of {workload.Attempted.Count} writes acknowledged before the kill");
        Assert.True(workload.Acknowledged.Count > Writers, $"too few writes before the kill to test anything {because}");

        var current = await api.RevisionAsync();
        var history = await HistoryAsync(api, Prefix, current);
        output.WriteLine($"seed {seed}: revision {current} after the restart, {current - 1 - workload.Acknowledged.Count} unacknowledged writes survived");

        // Contiguous: every revision from 2 to the current one holds exactly one whole write.
        var byRevision = history.GroupBy(e => e.Kv.ModRevision).ToDictionary(g => g.Key, g => g.ToList());
        var missing = Enumerable.Range(2, (int)current - 1).Select(r => (long)r).Where(r => !byRevision.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, $"revisions without a write: {string.Join(',', missing.Take(20))} {because}");
        var revisionOfWrite = new Dictionary<string, long>();
        foreach (var (revision, events) in byRevision)
        {
            var ids = events.Select(e => e.Kv.Value.ToStringUtf8()).Distinct().ToList();
            Assert.True(ids.Count == 1, $"revision {revision} holds parts of writes {string.Join(',', ids)} {because}");
            var write = workload.Attempted[ids[0]];
            Assert.True(
                write.Keys.Order(StringComparer.Ordinal).SequenceEqual(events.Select(e => S(e.Kv.Key)).Order(StringComparer.Ordinal)),
                $"revision {revision} holds {events.Count} of the {write.Keys.Length} keys of write {write.Id} {because}");
            Assert.True(revisionOfWrite.TryAdd(write.Id, revision), $"write {write.Id} applied twice {because}");
        }

        foreach (var (id, revision) in workload.Acknowledged)
        {
            Assert.True(revisionOfWrite.TryGetValue(id, out var found), $"acknowledged write {id} (revision {revision}) is lost {because}");
            Assert.True(found == revision, $"acknowledged write {id} was at revision {revision}, is at {found} {because}");
        }

        var latest = await api.RangeAsync(new RangeRequest { Key = B(Prefix), RangeEnd = PrefixEnd(Prefix), CountOnly = true });
        Assert.Equal(history.Count, latest.Count);
        var next = await api.PutAsync(Prefix + "after", "restart");
        Assert.Equal(current + 1, next.Header.Revision);
    }

    public static TheoryData<int> CompactionSeeds => [5, 17, 29];

    [Theory]
    [MemberData(nameof(CompactionSeeds))]
    public async Task Kill_9_during_a_physical_compaction_leaves_reads_at_or_above_it_intact(int seed)
    {
        var random = new Random(seed);
        await using var store = await MiniKubeStore.StartAsync();
        const string Prefix = "/compaction-crash/";
        const int Keys = 2000, PerTxn = 100;
        var expected = new Dictionary<long, RangeResponse>();
        long compactAt, countBelow;
        using (var channel = GrpcChannel.ForAddress(store.ClientUrl))
        {
            var api = new EtcdApi(channel);

            // Three versions of every key, a txn per 100 keys; then a tenth of the keys deleted.
            for (var version = 1; version <= 3; version++)
            {
                for (var start = 0; start < Keys; start += PerTxn)
                {
                    await api.TxnAsync(Op.Txn([], Enumerable.Range(start, PerTxn).Select(i => Op.Put($"{Prefix}{i:00000}", $"v{version}-{random.Next()}"))));
                }
            }

            var beforeDeletes = await api.RevisionAsync();
            for (var i = 0; i < Keys; i += 10)
            {
                await api.DeleteAsync($"{Prefix}{i:00000}");
            }

            var current = await api.RevisionAsync();
            compactAt = random.NextInt64(beforeDeletes - 20, current - 20);
            countBelow = (await api.RangeAsync(new RangeRequest { Key = B(Prefix), RangeEnd = PrefixEnd(Prefix), Revision = compactAt - 1, CountOnly = true })).Count;
            foreach (var revision in new[] { compactAt, compactAt + 10, current })
            {
                expected[revision] = await api.RangeAsync(new RangeRequest { Key = B(Prefix), RangeEnd = PrefixEnd(Prefix), Revision = revision });
            }

            var compacting = api.CompactAsync(compactAt, physical: true);
            await Task.Delay(random.Next(0, 40));
            await store.Process.KillAsync();
            try
            {
                await compacting;
                output.WriteLine($"seed {seed}: the compaction at {compactAt} finished before the kill");
            }
            catch (RpcException)
            {
                output.WriteLine($"seed {seed}: killed during the compaction at {compactAt}");
            }
        }

        await store.KillAndRestartAsync();

        using var after = GrpcChannel.ForAddress(store.ClientUrl);
        var reader = new EtcdApi(after);
        await reader.WaitUntilServingAsync();
        foreach (var (revision, range) in expected)
        {
            var now = await reader.RangeAsync(new RangeRequest { Key = B(Prefix), RangeEnd = PrefixEnd(Prefix), Revision = revision });
            Assert.True(range.Kvs.SequenceEqual(now.Kvs), $"the range at revision {revision} changed (seed {seed}, compacted at {compactAt})");
            Assert.Equal(range.Count, now.Count);
        }

        // Below the compaction a read either fails as compacted (the compaction was recorded) or is whole.
        try
        {
            var below = await reader.RangeAsync(new RangeRequest { Key = B(Prefix), RangeEnd = PrefixEnd(Prefix), Revision = compactAt - 1, CountOnly = true });
            Assert.Equal(countBelow, below.Count);
        }
        catch (RpcException e)
        {
            Assert.Equal(new Status(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted"), e.Status);
        }

        var put = await reader.PutAsync(Prefix + "after", "restart");
        Assert.Equal(expected.Keys.Max() + 1, put.Header.Revision);
        await reader.CompactAsync(put.Header.Revision, physical: true);
        Assert.Equal(expected[expected.Keys.Max()].Count + 1, (await reader.RangeAsync(new RangeRequest { Key = B(Prefix), RangeEnd = PrefixEnd(Prefix), CountOnly = true })).Count);
    }

    [Fact]
    public async Task Leases_their_keys_and_the_compaction_survive_kill_9()
    {
        await using var store = await MiniKubeStore.StartAsync();
        long kept, revoked, compactAt;
        using (var channel = GrpcChannel.ForAddress(store.ClientUrl))
        {
            var api = new EtcdApi(channel);
            kept = (await api.GrantAsync(600)).ID;
            revoked = (await api.GrantAsync(300)).ID;
            await api.PutAsync("/leases/a1", "v", kept);
            await api.PutAsync("/leases/a2", "v", kept);
            await api.PutAsync("/leases/b1", "v", revoked);
            await api.RevokeAsync(revoked);
            await api.PutAsync("/k", "v1");
            compactAt = (await api.PutAsync("/k", "v2")).Header.Revision;
            await api.PutAsync("/k", "v3");
            await api.CompactAsync(compactAt);
        }

        await store.KillAndRestartAsync();

        using var after = GrpcChannel.ForAddress(store.ClientUrl);
        var reader = new EtcdApi(after);
        await reader.WaitUntilServingAsync();
        var ttl = await reader.TimeToLiveAsync(kept, keys: true);
        Assert.Equal(600, ttl.GrantedTTL);
        Assert.InRange(ttl.TTL, 590, 600); // a restart gives leases their full TTL again, as etcd's new leader does
        Assert.Equal(["/leases/a1", "/leases/a2"], ttl.Keys.Select(S).Order(StringComparer.Ordinal));
        Assert.Equal(-1, (await reader.TimeToLiveAsync(revoked)).TTL);
        Assert.Contains(kept, (await reader.LeasesAsync()).Leases.Select(l => l.ID));
        Assert.DoesNotContain(revoked, (await reader.LeasesAsync()).Leases.Select(l => l.ID));
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted", () => reader.GetAsync("/k", compactAt - 1));
        Assert.Equal("v2", S((await reader.GetAsync("/k", compactAt)).Kvs[0].Value));

        var revoke = await reader.RevokeAsync(kept);
        var deleted = await reader.RangeAsync(new RangeRequest { Key = B("/leases/"), RangeEnd = PrefixEnd("/leases/"), Revision = revoke.Header.Revision - 1 });
        Assert.Equal(2, deleted.Count);
        Assert.Equal(0, (await reader.RangeAsync(new RangeRequest { Key = B("/leases/"), RangeEnd = PrefixEnd("/leases/") })).Count);
    }

    /// <summary>Every event under <paramref name="prefix"/> from revision 2 to <paramref name="current"/>, replayed by a watch.</summary>
    private static async Task<List<Mvccpb.Event>> HistoryAsync(EtcdApi api, string prefix, long current)
    {
        var events = new List<Mvccpb.Event>();
        await using var watch = await api.WatchAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = B(prefix), RangeEnd = PrefixEnd(prefix), StartRevision = 2 });
        while (events.Count == 0 || events[^1].Kv.ModRevision < current)
        {
            var response = await watch.NextAsync(TimeSpan.FromSeconds(20));
            events.AddRange(response.Events);
        }

        return events;
    }
}
