using MiniKube.Etcd.Client.Tests.Infrastructure;
using Mvccpb;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>Watch: history replay, prefixes, prev_kv, cancellation, compaction, progress, resumption.</summary>
public abstract partial class EtcdClientContractTests<TFixture>
{
    [Fact]
    public async Task A_prefix_watch_from_a_past_revision_replays_history_then_follows_with_PrevKv()
    {
        await using var client = NewClient();
        var p = NewPrefix("watch");
        var start = (await client.PutAsync(p + "a", "1")).Header.Revision;
        await client.PutAsync(p + "a", "2");
        await client.PutAsync(p[..^1] + "-outside", "not watched");
        await client.DeleteAsync(p + "a");

        var watcher = client.Watch(p, new WatchOptions { Prefix = true, Revision = start, PrevKv = true });
        await watcher.Created;
        await client.PutAsync(p + "b", "3");
        var events = await CollectAsync(watcher, e => e.Count >= 4);

        Assert.Equal(
            ["PUT a=1 prev=", "PUT a=2 prev=1", "DELETE a= prev=2", "PUT b=3 prev="],
            events.Select(e => $"{e.Type.ToString().ToUpperInvariant()} {e.Kv.Key.ToStringUtf8()[p.Length..]}={e.Kv.Value.ToStringUtf8()} prev={e.PrevKv?.Value.ToStringUtf8()}"));
        Assert.Equal(start, events[0].Kv.ModRevision);
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Kv.ModRevision < pair.Second.Kv.ModRevision));
    }

    [Fact]
    public async Task Watches_share_one_stream_and_a_canceled_one_gets_nothing_more()
    {
        await using var client = NewClient();
        var p = NewPrefix("cancel");
        var kept = client.Watch(p, new WatchOptions { Prefix = true });
        var canceled = client.Watch(p + "x");
        var onlyDeletes = client.Watch(p, new WatchOptions { Prefix = true, NoPut = true });
        await Task.WhenAll(kept.Created, canceled.Created, onlyDeletes.Created);

        await client.PutAsync(p + "x", "1");
        await using (var enumerator = canceled.GetAsyncEnumerator())
        {
            Assert.True(await enumerator.MoveNextAsync());
            Assert.Equal("1", enumerator.Current.Events[0].Kv.Value.ToStringUtf8());
        }

        await client.PutAsync(p + "x", "2");
        await client.DeleteAsync(p + "x");
        var events = await CollectAsync(kept, e => e.Count >= 3);
        var deletes = await CollectAsync(onlyDeletes, e => e.Count >= 1);

        Assert.Equal(["1", "2", ""], events.Select(e => e.Kv.Value.ToStringUtf8()));
        Assert.Equal(Event.Types.EventType.Delete, Assert.Single(deletes).Type);
        await using var after = canceled.GetAsyncEnumerator();
        Assert.False(await after.MoveNextAsync()); // ended when its first enumeration stopped
    }

    [Fact]
    public async Task A_watch_starting_before_the_compaction_fails_with_the_compact_revision()
    {
        await using var client = NewClient();
        var key = NewPrefix("watch-compacted") + "k";
        var old = (await client.PutAsync(key, "1")).Header.Revision;
        var compacted = (await client.PutAsync(key, "2")).Header.Revision;
        await client.CompactAsync(compacted);

        var watcher = client.Watch(key, new WatchOptions { Revision = old });
        var error = await Assert.ThrowsAsync<EtcdCompactedException>(() => CollectAsync(watcher, _ => false));

        Assert.Equal(compacted, error.CompactRevision);
        Assert.True(error.IsCompacted);
    }

    [Fact]
    public async Task Progress_notifications_arrive_on_request_and_periodically_when_asked_for()
    {
        await using var client = NewClient();
        var p = NewPrefix("progress");
        var current = (await client.PutAsync(p + "before", "x")).Header.Revision;
        var quiet = client.Watch(p + "quiet");
        var periodic = client.Watch(p + "periodic", new WatchOptions { ProgressNotify = true });
        await Task.WhenAll(quiet.Created, periodic.Created);

        await client.RequestProgressAsync();
        await using var requested = quiet.GetAsyncEnumerator();
        await using var ticks = periodic.GetAsyncEnumerator();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        Assert.True(await requested.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        Assert.True(requested.Current.IsProgressNotify);
        Assert.True(requested.Current.Revision >= current);
        Assert.True(await ticks.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        Assert.True(ticks.Current.IsProgressNotify);
        Assert.True(ticks.Current.Revision >= current);
    }

    [Fact]
    public async Task A_watch_and_a_keep_alive_survive_a_kill_and_restart_of_the_server_without_losing_or_repeating_events()
    {
        var seed = TestSeed.Get(4242);
        var random = new Random(seed);
        await using var client = NewClient();
        var p = NewPrefix("resume");
        var start = (await client.PutAsync(p + "start", "0")).Header.Revision;
        var lease = await client.Lease.GrantAsync(10);
        await using var keepAlive = await client.Lease.KeepAliveAsync(lease.ID);
        await client.PutAsync(p + "leased", "kept", new PutOptions { Lease = lease.ID });

        var watcher = client.Watch(p, new WatchOptions { Prefix = true, Revision = start, PrevKv = true });
        await watcher.Created;
        var collected = CollectAsync(watcher, e => e.Count > 0 && e[^1].Kv.Key.ToStringUtf8() == p + "end", TimeSpan.FromSeconds(30));

        // Writes go on while the server is killed and restarted, and for a while after.
        var written = 0;
        var restartedAt = long.MaxValue; // UTC ticks
        async Task WriteAsync()
        {
            for (var afterRestart = 0; afterRestart < 20; afterRestart += DateTime.UtcNow.Ticks > Volatile.Read(ref restartedAt) ? 1 : 0)
            {
                var key = p + "k" + random.Next(6);
                var delete = random.Next(4) == 0;
                while (true)
                {
                    try
                    {
                        _ = delete ? await client.DeleteAsync(key) : (object)await client.PutAsync(key, $"{written}-{random.Next(100)}");
                        Interlocked.Increment(ref written);
                        break;
                    }
                    catch (EtcdException e) when (e.IsUnavailable)
                    {
                        // A write in flight when the server died may or may not have happened, so
                        // the expectation below is the server's own history, not this loop's.
                        await Task.Delay(50);
                    }
                }
            }
        }

        var writer = WriteAsync();
        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref written) >= 10), TimeSpan.FromSeconds(10), "writes before the kill");
        await Server.KillAndRestartAsync();
        Volatile.Write(ref restartedAt, DateTime.UtcNow.Ticks);
        await writer;
        await client.PutAsync(p + "end", "");
        var events = await collected;

        // The truth: a fresh watch over the same history, read after the fact.
        var truth = await CollectAsync(client.Watch(p, new WatchOptions { Prefix = true, Revision = start, PrevKv = true }), e => e.Count > 0 && e[^1].Kv.Key.ToStringUtf8() == p + "end");
        var expected = Describe(truth);
        var actual = Describe(events);
        Assert.True(expected == actual, $"seed {seed}: the resumed watch differs from the history.\n--- history\n{expected}\n--- delivered\n{actual}");
        Assert.True(truth.Count >= 30, $"seed {seed}: only {truth.Count} events");

        // The lease was kept alive across the restart: renewed since, and its key is still there.
        await EventuallyAsync(() => Task.FromResult(keepAlive.ExpiresAt.UtcTicks > restartedAt + TimeSpan.FromSeconds(5).Ticks), TimeSpan.FromSeconds(30), "a renewal after the restart");
        Assert.False(keepAlive.Completion.IsCompleted);
        Assert.Single((await client.GetAsync(p + "leased")).Kvs);

        // Left to expire, the lease would delete its key ~10 s after this test, inside whichever test of the shared
        // server runs then, and move the revision under one that expects it to stand still.
        await keepAlive.DisposeAsync();
        await client.Lease.RevokeAsync(lease.ID);
    }
}
