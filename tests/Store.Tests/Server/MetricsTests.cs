using System.Text;
using Etcdserverpb;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Server;

public sealed class MetricsTests
{
    [Fact]
    public async Task Operations_are_counted_as_etcds_mvcc_metrics_count_them_nested_ones_included_a_nested_txn_in_its_parent()
    {
        await using var store = new StoreHarness();
        await store.PutAsync("a", "1");
        await store.DeleteAsync("a");
        store.Get("a");
        await store.TxnAsync(new TxnRequest
        {
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = B("b"), Value = B("2") } },
                new RequestOp { RequestRange = new RangeRequest { Key = B("b") } },
                new RequestOp { RequestTxn = new TxnRequest { Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("c") } } } } },
            },
        });

        var counts = store.Server.Applier.Counts;
        Assert.Equal((2, 2, 2, 1), (counts.Puts, counts.Deletes, counts.Ranges, counts.Txns));
    }

    [Fact]
    public async Task A_scrape_reads_the_member_as_it_is_now()
    {
        await using var store = new StoreHarness();
        await store.Server.LinearizableReadAsync(default); // the election's own synced save is behind us
        // And the member's publish of its name, a proposal of its own made once it leads.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (store.Server.Members.Find(store.Server.Identity.MemberId)?.Name is not { Length: > 0 })
        {
            Assert.True(DateTime.UtcNow < deadline, "the member never published its attributes");
            await Task.Delay(10);
        }

        var syncsBefore = store.Server.Metrics.WalFsyncSeconds.Count;
        var put = await store.PutAsync("k", "v");
        await store.PutAsync("k", "w");
        await store.CompactAsync(put.Header.Revision);

        var text = await ScrapeAsync(store);

        Assert.Contains($"etcd_debugging_mvcc_current_revision {put.Header.Revision + 1}\n", text, StringComparison.Ordinal);
        Assert.Contains($"etcd_debugging_mvcc_compact_revision {put.Header.Revision}\n", text, StringComparison.Ordinal);
        Assert.Contains("etcd_mvcc_put_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains($"etcd_disk_wal_fsync_duration_seconds_count {syncsBefore + 3}\n", text, StringComparison.Ordinal); // one synced Raft save per write
        Assert.Contains("etcd_server_is_leader 1\n", text, StringComparison.Ordinal);
        Assert.Contains("etcd_disk_backend_commit_duration_seconds_count ", text, StringComparison.Ordinal);
        Assert.True(store.Server.Metrics.BackendCommitSeconds.Count >= 3, "each applied write reaches the backend in a commit");
        Assert.Contains($"etcd_server_id{{server_id=\"{store.Server.Identity.MemberId:x}\"}} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scrape_shows_the_thread_pool_the_member_runs_on()
    {
        await using var store = new StoreHarness();
        var before = ThreadPool.CompletedWorkItemCount;

        var text = await ScrapeAsync(store);

        var completed = Value(text, "dotnet_threadpool_completed_items_total");
        Assert.InRange(completed, before, ThreadPool.CompletedWorkItemCount);
        Assert.InRange(Value(text, "dotnet_threadpool_threads"), 1, ThreadPool.ThreadCount + 100);
        Assert.True(Value(text, "dotnet_threadpool_queue_length") >= 0);
    }

    private static long Value(string text, string metric)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(metric + " ", StringComparison.Ordinal));
        return (long)double.Parse(line[(metric.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> ScrapeAsync(StoreHarness store)
    {
        using var buffer = new MemoryStream();
        await store.Server.Metrics.WriteAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
