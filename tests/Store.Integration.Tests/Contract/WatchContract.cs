using System.Runtime.CompilerServices;
using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;
using EventType = Mvccpb.Event.Types.EventType;
using Filter = Etcdserverpb.WatchCreateRequest.Types.FilterType;
using Result = Etcdserverpb.Compare.Types.CompareResult;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// Watch as etcd 3.4 serves it: history replay then live events, ranges, prev_kv, filters, many
/// watches on a stream with their IDs, cancellation, progress, and the order and grouping of events.
/// </summary>
public abstract class WatchContract(ServerFixture server)
{
    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("watch/" + test);

    private static WatchCreateRequest OnPrefix(string prefix, long startRevision = 0) =>
        new() { Key = B(prefix), RangeEnd = PrefixEnd(prefix), StartRevision = startRevision };

    [Fact]
    public async Task A_watch_from_a_past_revision_replays_history_in_order_then_follows_live_writes()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "a", "1")).Header.Revision;
        await Api.PutAsync(p + "b", "1");
        await Api.DeleteAsync(p + "a");
        await Api.PutAsync(p + "b", "2");
        await using var watch = await Api.WatchAsync();

        var created = await watch.CreateAsync(OnPrefix(p, r1));
        var replay = await watch.EventsAsync(4);
        var live = await Api.PutAsync(p + "c", "1");
        var next = await watch.EventsAsync(1);

        Assert.Equal(r1 + 3, created.Header.Revision);
        Assert.Equal(
            [(EventType.Put, "a", r1), (EventType.Put, "b", r1 + 1), (EventType.Delete, "a", r1 + 2), (EventType.Put, "b", r1 + 3)],
            replay.Select(e => (e.Type, S(e.Kv.Key)[p.Length..], e.Kv.ModRevision)));
        var put = replay[3].Kv;
        Assert.Equal(("2", r1 + 1, 2L), (S(put.Value), put.CreateRevision, put.Version));
        Assert.Null(replay[3].PrevKv);
        var deletion = replay[2].Kv;
        Assert.Equal((0L, 0L, 0L, 0), (deletion.CreateRevision, deletion.Version, deletion.Lease, deletion.Value.Length));
        Assert.Equal((EventType.Put, p + "c", live.Header.Revision), (next[0].Type, S(next[0].Kv.Key), next[0].Kv.ModRevision));
    }

    [Fact]
    public async Task A_watch_without_a_start_revision_sees_only_writes_after_it_was_created()
    {
        var p = Prefix();
        await Api.PutAsync(p + "k", "before");
        await using var watch = await Api.WatchAsync();

        var created = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k") });
        var put = await Api.PutAsync(p + "k", "after");
        var events = await watch.EventsAsync(1);

        Assert.Equal(put.Header.Revision - 1, created.Header.Revision);
        Assert.Equal("after", S(Assert.Single(events).Kv.Value));
    }

    [Fact]
    public async Task A_watch_sees_only_its_key_or_range()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();
        var single = (await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "b") })).WatchId;
        var range = (await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "b"), RangeEnd = B(p + "d") })).WatchId;
        var fromKey = (await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "c"), RangeEnd = FromKey })).WatchId;

        foreach (var key in new[] { "a", "b", "bb", "c", "d" })
        {
            await Api.PutAsync(p + key, "v");
        }

        var responses = await watch.ResponsesWithEventsAsync(1 + 3 + 2);
        string[] KeysOf(long id) => [.. responses.Where(r => r.WatchId == id).SelectMany(r => r.Events).Select(e => S(e.Kv.Key)).Where(k => k.StartsWith(p, StringComparison.Ordinal)).Select(k => k[p.Length..])];

        Assert.Equal(["b"], KeysOf(single));
        Assert.Equal(["b", "bb", "c"], KeysOf(range));
        Assert.Equal(["c", "d"], KeysOf(fromKey));
    }

    [Fact]
    public async Task With_prev_kv_updates_and_deletes_carry_the_previous_key_value_and_creates_do_not()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        await Api.PutAsync(p + "k", "v2");
        await Api.DeleteAsync(p + "k");
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), StartRevision = r1, PrevKv = true });
        var replayed = await watch.EventsAsync(3);
        await Api.PutAsync(p + "k", "v3");
        await Api.PutAsync(p + "k", "v4");
        await Api.DeleteAsync(p + "k");
        var live = await watch.EventsAsync(3);

        foreach (var events in new[] { replayed, live })
        {
            Assert.Null(events[0].PrevKv);
            Assert.Equal((S(events[0].Kv.Value), events[0].Kv.CreateRevision, events[0].Kv.ModRevision, 1L),
                (S(events[1].PrevKv.Value), events[1].PrevKv.CreateRevision, events[1].PrevKv.ModRevision, events[1].PrevKv.Version));
            Assert.Equal(EventType.Delete, events[2].Type);
            Assert.Equal(events[1].Kv, events[2].PrevKv);
        }
    }

    [Fact]
    public async Task Without_prev_kv_events_carry_none()
    {
        var p = Prefix();
        var r1 = (await Api.PutAsync(p + "k", "v1")).Header.Revision;
        await Api.PutAsync(p + "k", "v2");
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), StartRevision = r1 });
        var events = await watch.EventsAsync(2);
        await Api.DeleteAsync(p + "k");
        events.AddRange(await watch.EventsAsync(1));

        Assert.All(events, e => Assert.Null(e.PrevKv));
    }

    [Theory]
    [InlineData(Filter.Noput, EventType.Delete)]
    [InlineData(Filter.Nodelete, EventType.Put)]
    public async Task A_filter_drops_one_kind_of_event(Filter filter, EventType kept)
    {
        var p = Prefix() + filter + "/";
        var r1 = (await Api.PutAsync(p + "a", "1")).Header.Revision;
        await Api.DeleteAsync(p + "a");
        await using var watch = await Api.WatchAsync();
        var create = OnPrefix(p, r1);
        create.Filters.Add(filter);

        await watch.CreateAsync(create);
        await Api.PutAsync(p + "b", "1");
        await Api.DeleteAsync(p + "b");
        var events = await watch.EventsAsync(2);

        Assert.All(events, e => Assert.Equal(kept, e.Type));
        Assert.Equal(["a", "b"], events.Select(e => S(e.Kv.Key)[p.Length..]));
        Assert.Null(await watch.TryNextAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Watches_on_one_stream_get_ids_from_zero_up_and_their_own_events()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();

        var ids = new List<long>();
        foreach (var key in new[] { "a", "b", "c" })
        {
            ids.Add((await watch.CreateAsync(new WatchCreateRequest { Key = B(p + key) })).WatchId);
        }

        await Api.PutAsync(p + "c", "1");
        await Api.PutAsync(p + "a", "1");
        var responses = await watch.ResponsesWithEventsAsync(2);

        Assert.Equal([0L, 1L, 2L], ids);
        Assert.Equal([(ids[2], p + "c"), (ids[0], p + "a")], responses.Select(r => (r.WatchId, S(Assert.Single(r.Events).Kv.Key))));
    }

    [Fact]
    public async Task A_client_chosen_watch_id_is_used_and_a_duplicate_is_refused_on_that_stream()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();

        var chosen = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "a"), WatchId = 7 });
        var auto = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "b") });
        await watch.SendAsync(new WatchCreateRequest { Key = B(p + "c"), WatchId = 7 });
        var duplicate = await watch.NextAsync();
        await Api.PutAsync(p + "a", "1");
        var events = await watch.ResponsesWithEventsAsync(1);

        Assert.Equal(7, chosen.WatchId);
        Assert.Equal(0, auto.WatchId);
        Assert.True(duplicate.Created);
        Assert.True(duplicate.Canceled);
        Assert.Equal(-1, duplicate.WatchId);
        Assert.Equal("mvcc: duplicate watch ID provided on the WatchStream", duplicate.CancelReason);
        Assert.Equal(7, Assert.Single(events).WatchId);
    }

    [Fact]
    public async Task Automatic_ids_skip_ids_the_client_chose()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "a"), WatchId = 1 });
        var first = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "b") });
        var second = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "c") });

        Assert.Equal(0, first.WatchId);
        Assert.Equal(2, second.WatchId);
    }

    [Fact]
    public async Task Cancelling_a_watch_answers_canceled_and_stops_its_events_only()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();
        var cancelled = (await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k") })).WatchId;
        var kept = (await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k") })).WatchId;
        var current = await Api.RevisionAsync();

        await watch.CancelAsync(cancelled);
        var response = await watch.NextAsync();
        await Api.PutAsync(p + "k", "1");
        var events = await watch.ResponsesWithEventsAsync(1);

        Assert.True(response.Canceled);
        Assert.False(response.Created);
        Assert.Equal(cancelled, response.WatchId);
        Assert.Equal(current, response.Header.Revision);
        Assert.Equal(kept, Assert.Single(events).WatchId);
        Assert.Null(await watch.TryNextAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_cancelled_watch_id_can_be_chosen_again()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "a"), WatchId = 3 });
        await watch.CancelAsync(3);
        Assert.True((await watch.NextAsync()).Canceled);

        var again = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "b"), WatchId = 3 });
        await Api.PutAsync(p + "a", "1");
        await Api.PutAsync(p + "b", "1");
        var events = await watch.ResponsesWithEventsAsync(1);

        Assert.Equal(3, again.WatchId);
        Assert.False(again.Canceled);
        Assert.Equal((3L, p + "b"), (events[0].WatchId, S(Assert.Single(events[0].Events).Kv.Key)));
    }

    [Fact]
    public async Task A_filter_applies_within_the_events_of_one_txn()
    {
        var p = Prefix();
        await Api.PutAsync(p + "old", "v");
        await using var watch = await Api.WatchAsync();
        var create = new WatchCreateRequest { Key = B(p), RangeEnd = PrefixEnd(p) };
        create.Filters.Add(Filter.Noput);
        await watch.CreateAsync(create);

        var txn = await Api.TxnAsync(Op.Txn([], [Op.Put(p + "new", "v"), Op.Delete(p + "old")]));
        var response = Assert.Single(await watch.ResponsesWithEventsAsync(1));

        Assert.Equal((EventType.Delete, p + "old", txn.Header.Revision), (response.Events[0].Type, S(response.Events[0].Kv.Key), response.Events[0].Kv.ModRevision));
        Assert.Single(response.Events);
    }

    [Fact]
    public async Task Cancelling_an_unknown_watch_answers_nothing()
    {
        await using var watch = await Api.WatchAsync();

        await watch.CancelAsync(12345);

        Assert.Null(await watch.TryNextAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_watch_whose_range_end_is_not_after_its_key_is_refused()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();

        await watch.SendAsync(new WatchCreateRequest { Key = B(p + "b"), RangeEnd = B(p + "a") });
        var response = await watch.NextAsync();

        Assert.True(response.Created);
        Assert.True(response.Canceled);
        Assert.Equal(-1, response.WatchId);
        Assert.Equal("mvcc: watcher range is empty", response.CancelReason);
    }

    [Fact]
    public async Task The_events_of_one_txn_arrive_together_in_one_response_at_one_revision()
    {
        var p = Prefix();
        await Api.PutAsync(p + "d", "old");
        await using var watch = await Api.WatchAsync();
        await watch.CreateAsync(OnPrefix(p));

        var txn = await Api.TxnAsync(Op.Txn([Cmp.Version(p + "d", Result.Greater, 0)], [Op.Put(p + "b", "1"), Op.Delete(p + "d"), Op.Put(p + "a", "1")]));
        var response = Assert.Single(await watch.ResponsesWithEventsAsync(3));

        Assert.Equal([(EventType.Put, "b"), (EventType.Delete, "d"), (EventType.Put, "a")], response.Events.Select(e => (e.Type, S(e.Kv.Key)[p.Length..])));
        Assert.All(response.Events, e => Assert.Equal(txn.Header.Revision, e.Kv.ModRevision));
        Assert.Equal(txn.Header.Revision, response.Header.Revision);
    }

    [Fact]
    public async Task A_txn_of_many_puts_arrives_whole_live_and_replayed()
    {
        var p = Prefix();
        var start = await Api.RevisionAsync() + 1;
        await using var live = await Api.WatchAsync();
        await live.CreateAsync(new WatchCreateRequest { Key = B(p), RangeEnd = PrefixEnd(p), PrevKv = true });

        var txn = await Api.TxnAsync(Op.Txn([], Enumerable.Range(0, 128).Select(i => Op.Put($"{p}{i:000}", new string('v', 1000)))));
        await using var replay = await Api.WatchAsync();
        await replay.CreateAsync(new WatchCreateRequest { Key = B(p), RangeEnd = PrefixEnd(p), StartRevision = start });

        foreach (var watch in new[] { live, replay })
        {
            var response = Assert.Single(await watch.ResponsesWithEventsAsync(128));
            Assert.Equal(Enumerable.Range(0, 128).Select(i => $"{p}{i:000}"), response.Events.Select(e => S(e.Kv.Key)));
            Assert.All(response.Events, e => Assert.Equal(txn.Header.Revision, e.Kv.ModRevision));
            Assert.False(response.Fragment);
        }
    }

    [Fact]
    public async Task A_watch_from_a_future_revision_waits_for_it()
    {
        var p = Prefix();
        var current = await Api.RevisionAsync();
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), StartRevision = current + 2 });
        await Api.PutAsync(p + "k", "1");
        var second = await Api.PutAsync(p + "k", "2");
        var events = await watch.EventsAsync(1);

        Assert.Equal(second.Header.Revision, Assert.Single(events).Kv.ModRevision);
    }

    [Fact]
    public async Task Concurrent_writes_arrive_in_revision_order_never_split_or_repeated_live_and_replayed()
    {
        var p = Prefix();
        var start = await Api.RevisionAsync() + 1;
        await using var live = await Api.WatchAsync();
        await live.CreateAsync(OnPrefix(p));
        const int Writers = 4, PerWriter = 25;

        var writes = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                // Two keys per write half of the time: a revision's events must stay together.
                if (i % 2 == 0)
                {
                    await Api.PutAsync($"{p}{w}/{i}", "v");
                }
                else
                {
                    await Api.TxnAsync(Op.Txn([], [Op.Put($"{p}{w}/{i}a", "v"), Op.Put($"{p}{w}/{i}b", "v")]));
                }
            }
        }));
        await Task.WhenAll(writes);
        var expected = Writers * ((PerWriter + 1) / 2 + (PerWriter / 2 * 2));
        await using var replay = await Api.WatchAsync();
        await replay.CreateAsync(OnPrefix(p, start));

        foreach (var watch in new[] { live, replay })
        {
            var responses = await watch.ResponsesWithEventsAsync(expected);
            var events = responses.SelectMany(r => r.Events).ToList();
            Assert.Equal(expected, events.Count);
            Assert.Equal(events.Count, events.Select(e => S(e.Kv.Key)).Distinct().Count());
            var revisions = events.Select(e => e.Kv.ModRevision).ToList();
            Assert.Equal(revisions.Order(), revisions);
            var perResponse = responses.Select(r => r.Events.Select(e => e.Kv.ModRevision).Distinct().ToList()).ToList();
            Assert.Equal(revisions.Distinct().Count(), perResponse.Sum(r => r.Count)); // no revision in two responses
            Assert.Null(await watch.TryNextAsync(TimeSpan.FromMilliseconds(200)));
        }
    }

    [Fact]
    public async Task A_watcher_too_slow_to_read_still_gets_every_event_once_in_order_when_it_reads()
    {
        var p = Prefix();
        var start = await Api.RevisionAsync() + 1;
        const int Writers = 8, KeysPerWriter = 150;
        var value = new string('v', 1000);

        // Its own connection: a stream nobody reads must not hold up the writes' responses.
        using var slowChannel = GrpcChannel.ForAddress(server.Server.ClientUrl);
        await using var slow = await new EtcdApi(slowChannel).WatchAsync(reading: false);
        await slow.SendAsync(new WatchCreateRequest { Key = B(p), RangeEnd = PrefixEnd(p), StartRevision = start, PrevKv = true });

        // Every key is created, then updated: the update's prev_kv is the creation.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < KeysPerWriter; i++)
            {
                await Api.PutAsync($"{p}{w}/{i:000}", "created-" + value);
                await Api.PutAsync($"{p}{w}/{i:000}", "updated-" + value);
            }
        })));
        slow.StartReading();
        var responses = await slow.ResponsesWithEventsAsync(Writers * KeysPerWriter * 2, TimeSpan.FromSeconds(60));

        var events = responses.SelectMany(r => r.Events).ToList();
        Assert.Equal(Writers * KeysPerWriter * 2, events.Count);
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => start + i), events.Select(e => e.Kv.ModRevision));
        Assert.All(events.Where(e => e.Kv.Version == 1), e => Assert.Null(e.PrevKv));
        Assert.All(events.Where(e => e.Kv.Version == 2), e => Assert.Equal(("created-" + value, 1L), (S(e.PrevKv.Value), e.PrevKv.Version)));
        Assert.All(events, e => Assert.Equal(e.Kv.Version == 1 ? "created-" + value : "updated-" + value, S(e.Kv.Value)));
    }

    [Fact]
    public async Task A_watch_asking_for_progress_notifications_gets_empty_responses_at_the_current_revision()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();
        var id = (await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k"), ProgressNotify = true })).WatchId;
        var current = await Api.RevisionAsync();

        var progress = await watch.NextAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(id, progress.WatchId);
        Assert.Empty(progress.Events);
        Assert.False(progress.Created || progress.Canceled);
        Assert.True(progress.Header.Revision >= current);
    }

    [Fact]
    public async Task A_watch_without_progress_notify_gets_no_progress_notifications()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k") });

        Assert.Null(await watch.TryNextAsync(TimeSpan.FromMilliseconds(1500)));
    }

    [Fact]
    public async Task A_progress_request_is_answered_with_watch_id_minus_one_and_the_current_revision()
    {
        var p = Prefix();
        var put = await Api.PutAsync(p + "k", "v");
        await using var watch = await Api.WatchAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k") });

        await watch.RequestProgressAsync();
        var progress = await watch.NextAsync();

        Assert.Equal(-1, progress.WatchId);
        Assert.Empty(progress.Events);
        Assert.Equal(put.Header.Revision, progress.Header.Revision);
        Assert.False(progress.Created || progress.Canceled);
    }

    [Fact]
    public async Task Watch_responses_carry_the_cluster_and_member_ids()
    {
        var p = Prefix();
        var status = await Api.StatusAsync();
        await using var watch = await Api.WatchAsync();

        var created = await watch.CreateAsync(new WatchCreateRequest { Key = B(p + "k") });
        await Api.PutAsync(p + "k", "v");
        var events = Assert.Single(await watch.ResponsesWithEventsAsync(1));

        Assert.All(new[] { created.Header, events.Header }, h => Assert.Equal((status.Header.ClusterId, status.Leader), (h.ClusterId, h.MemberId)));
    }

    [Fact]
    public async Task An_empty_key_watches_the_smallest_key_and_a_zero_range_end_every_key()
    {
        var p = Prefix();
        await using var watch = await Api.WatchAsync();

        await watch.CreateAsync(new WatchCreateRequest { RangeEnd = FromKey });
        var put = await Api.PutAsync(p + "k", "v");
        var events = await watch.EventsAsync(1, TimeSpan.FromSeconds(10));

        // Other tests write too; ours must be among what this all-keys watch sees.
        while (!events.Any(e => S(e.Kv.Key) == p + "k"))
        {
            events.AddRange(await watch.EventsAsync(1));
        }

        Assert.Contains(events, e => e.Kv.ModRevision == put.Header.Revision);
    }
}

public sealed class WatchContractOnMiniKube(MiniKubeFixture server) : WatchContract(server), IClassFixture<MiniKubeFixture>;

public sealed class WatchContractOnEtcd(EtcdFixture server) : WatchContract(server), IClassFixture<EtcdFixture>;
