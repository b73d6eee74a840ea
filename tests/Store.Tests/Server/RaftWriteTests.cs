using MiniKube.Store.Backend;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Server;

/// <summary>Writes through the store's Raft host as a cluster of one: grouped syncs, and nothing acknowledged lost in a crash.</summary>
public sealed class RaftWriteTests
{
    [Fact]
    public async Task Concurrent_writes_share_syncs_and_get_contiguous_revisions()
    {
        var backend = new InMemoryBackend { SyncLatency = TimeSpan.FromMilliseconds(5) };
        await using var store = new StoreHarness(backend);
        const int writes = 400;
        var responses = await Task.WhenAll(Enumerable.Range(0, writes).Select(i => Task.Run(() => store.PutAsync($"k{i}", "v"))));

        Assert.Equal(Enumerable.Range(2, writes).Select(r => (long)r), responses.Select(r => r.Header.Revision).Order());
        Assert.True(backend.SyncCount < writes / 4, $"{backend.SyncCount} syncs for {writes} concurrent writes: no group commit");
        Assert.Equal((long)store.Server.Raft.AppliedIndex, store.Server.Mvcc.AppliedIndex);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Every_acknowledged_write_survives_a_crash_and_no_transaction_is_half_there(int seed)
    {
        var random = new Random(seed);
        var backend = new InMemoryBackend { SyncLatency = TimeSpan.FromMilliseconds(1) };
        var store = new StoreHarness(backend);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = (w * 100_000) + i;
                // Two keys in one transaction: after recovery both exist or neither does.
                await store.TxnAsync(new Etcdserverpb.TxnRequest
                {
                    Success =
                    {
                        new Etcdserverpb.RequestOp { RequestPut = new Etcdserverpb.PutRequest { Key = B($"a/{id}"), Value = B("x") } },
                        new Etcdserverpb.RequestOp { RequestPut = new Etcdserverpb.PutRequest { Key = B($"b/{id}"), Value = B("x") } },
                    },
                });
                acknowledged.Add(id);
            }
        })).ToList();

        await Task.Delay(random.Next(50, 150));
        var ackedBeforeCrash = acknowledged.ToArray();
        var recoveredBackend = backend.CrashAndRecover(); // kill -9: only what was synced remains
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await store.DisposeAsync();

        await using var recovered = new StoreHarness(recoveredBackend);
        // Entries synced in the Raft log but not yet applied are applied on restart, before the
        // read barrier of a linearizable read lifts.
        await recovered.Server.LinearizableReadAsync(default);
        var a = recovered.Get("a/", Prefix("a/")).Kvs.Select(kv => S(kv.Key)[2..]).ToHashSet();
        var b = recovered.Get("b/", Prefix("b/")).Kvs.Select(kv => S(kv.Key)[2..]).ToHashSet();
        Assert.True(a.SetEquals(b), $"seed {seed}: a transaction was recovered in part");
        Assert.All(ackedBeforeCrash, id => Assert.Contains(id.ToString(), a));

        // Revisions are contiguous: every revision from 2 to the current one holds exactly one transaction.
        var revisions = recovered.Get("a/", Prefix("a/")).Kvs.Select(kv => kv.ModRevision).Order().ToList();
        Assert.Equal(Enumerable.Range(2, revisions.Count).Select(r => (long)r), revisions);
        Assert.Equal(revisions.Count + 1, recovered.Server.Mvcc.Revision);
    }
}
