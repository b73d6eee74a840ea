using System.Collections.Concurrent;
using Etcdserverpb;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Watch;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Watch;

public sealed class WatchHubTests : IAsyncLifetime
{
    private StoreHarness _store = null!;

    public Task InitializeAsync()
    {
        _store = new StoreHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private WatchHub Hub => _store.Server.WatchHub;

    [Fact]
    public async Task A_watcher_gets_live_events_in_order_with_previous_values_when_asked()
    {
        await _store.PutAsync("k", "0");
        var sink = new RecordingSink();
        Hub.Register(new Watcher(1, KeyRange.ForKey("k"u8.ToArray()), Hub.Revision + 1, sink) { PrevKv = true });
        await _store.PutAsync("k", "1");
        await _store.DeleteAsync("k");

        var events = await sink.WaitForEventsAsync(2);
        Assert.Equal([Mvccpb.Event.Types.EventType.Put, Mvccpb.Event.Types.EventType.Delete], events.Select(e => e.Type));
        Assert.Equal("0", S(events[0].PrevKv.Value));
        Assert.Equal("1", S(events[1].PrevKv.Value));
        Assert.Equal(4, events[1].Kv.ModRevision);
    }

    [Fact]
    public async Task A_watcher_from_an_old_revision_replays_history_then_follows_live()
    {
        for (var i = 0; i < 30; i++)
        {
            await _store.PutAsync($"p/{i % 3}", $"{i}");
        }

        await _store.PutAsync("other", "x");
        var sink = new RecordingSink();
        Hub.Register(new Watcher(7, KeyRange.Between("p/"u8.ToArray(), "p0"u8.ToArray()), 5, sink) { PrevKv = true });
        await _store.PutAsync("p/9", "live");

        var events = await sink.WaitForEventsAsync(28);
        Assert.Equal(Enumerable.Range(5, 27).Select(r => (long)r).Append(33), events.Select(e => e.Kv.ModRevision));
        // Revision 5 rewrote p/0, first written at revision 2 with "0": history replay finds that too.
        Assert.Equal(("p/0", "3", "0"), (S(events[0].Kv.Key), S(events[0].Kv.Value), S(events[0].PrevKv.Value)));
        Assert.Equal("live", S(events[^1].Kv.Value));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public async Task A_slow_stream_misses_nothing_and_gets_nothing_twice(int seed)
    {
        var sink = new RecordingSink(new Random(seed), rejectOneIn: 3);
        Hub.Register(new Watcher(1, KeyRange.From([0]), Hub.Revision + 1, sink));
        const int writes = 300;
        var concurrent = Task.WhenAll(Enumerable.Range(0, writes / 2).Select(i => Task.Run(() => _store.PutAsync($"k{i % 17}", $"{i}"))));
        for (var i = writes / 2; i < writes; i++)
        {
            await _store.PutAsync($"k{i % 17}", $"{i}"); // one revision per notification: many chances to push back
        }

        await concurrent;

        var events = await sink.WaitForEventsAsync(writes);
        Assert.True(Enumerable.Range(2, writes).Select(r => (long)r).SequenceEqual(events.Select(e => e.Kv.ModRevision)), $"seed {seed}: events out of order, missing or repeated");
        Assert.True(sink.Rejected > 0, $"seed {seed}: the sink never pushed back, so the test proved nothing");
    }

    [Fact]
    public async Task A_watcher_below_the_compaction_is_cancelled_with_the_compact_revision()
    {
        for (var i = 0; i < 5; i++)
        {
            await _store.PutAsync("k", $"{i}");
        }

        await _store.CompactAsync(4);
        var sink = new RecordingSink();
        Hub.Register(new Watcher(3, KeyRange.ForKey("k"u8.ToArray()), 2, sink));
        var response = await sink.WaitForAsync(r => r.Canceled);
        Assert.Equal((3L, 4L), (response.WatchId, response.CompactRevision));

        // Starting exactly at the compaction revision is allowed: that revision's events remain.
        var atCompaction = new RecordingSink();
        Hub.Register(new Watcher(4, KeyRange.ForKey("k"u8.ToArray()), 4, atCompaction));
        var events = await atCompaction.WaitForEventsAsync(3);
        Assert.Equal([4L, 5L, 6L], events.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task Filters_drop_puts_or_deletes()
    {
        var noPuts = new RecordingSink();
        var noDeletes = new RecordingSink();
        Hub.Register(new Watcher(1, KeyRange.From("a"u8.ToArray()), Hub.Revision + 1, noPuts) { FilterPuts = true });
        Hub.Register(new Watcher(2, KeyRange.From("a"u8.ToArray()), Hub.Revision + 1, noDeletes) { FilterDeletes = true });
        await _store.PutAsync("a", "1");
        await _store.DeleteAsync("a");
        await _store.PutAsync("b", "1");

        Assert.Equal(Mvccpb.Event.Types.EventType.Delete, (await noPuts.WaitForEventsAsync(1)).Single().Type);
        Assert.Equal(["a", "b"], (await noDeletes.WaitForEventsAsync(2)).Select(e => S(e.Kv.Key)));
    }

    [Fact]
    public async Task A_progress_request_reports_the_current_revision()
    {
        await _store.PutAsync("a", "1");
        var sink = new RecordingSink();
        Hub.Register(new Watcher(1, KeyRange.ForKey("zzz"u8.ToArray()), Hub.Revision + 1, sink));
        Hub.RequestProgress(sink);
        var progress = await sink.WaitForAsync(r => r.WatchId == -1);
        Assert.Equal(2, progress.Header.Revision);
        Assert.Empty(progress.Events);
    }

    /// <summary>Records what a watch stream would send; can refuse sends to play a slow client.</summary>
    private sealed class RecordingSink(Random? random = null, int rejectOneIn = 0) : IWatchSink
    {
        private readonly ConcurrentQueue<WatchResponse> _responses = new();

        public int Rejected { get; private set; }

        public bool TrySend(WatchResponse response)
        {
            // Called under the hub's lock, so the random generator is never used concurrently.
            if (random is not null && random.Next(rejectOneIn) == 0)
            {
                Rejected++;
                return false;
            }

            _responses.Enqueue(response);
            return true;
        }

        public async Task<List<Mvccpb.Event>> WaitForEventsAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                var events = _responses.SelectMany(r => r.Events).ToList();
                if (events.Count >= count || DateTime.UtcNow > deadline)
                {
                    await Task.Delay(50); // anything extra (a duplicate) would show up now
                    return [.. _responses.SelectMany(r => r.Events)];
                }

                await Task.Delay(10);
            }
        }

        public async Task<WatchResponse> WaitForAsync(Func<WatchResponse, bool> predicate)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                var found = _responses.FirstOrDefault(predicate);
                if (found is not null)
                {
                    return found;
                }

                await Task.Delay(10);
            }

            throw new TimeoutException("no matching watch response within 10 s");
        }
    }
}
