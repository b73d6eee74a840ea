using MiniKube.Api.Core;
using MiniKube.Client.Events;
using MiniKube.Testing.Cluster;

namespace MiniKube.Client.Tests.Integration;

public sealed class EventRecorderTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static ObjectReference ReplicaSet(string ns) =>
        new() { ApiVersion = "apps/v1", Kind = "ReplicaSet", Namespace = ns, Name = "web", Uid = Guid.NewGuid().ToString() };

    [Fact]
    public async Task A_repeated_event_patches_the_count_of_the_stored_one_and_is_created_again_once_that_is_deleted()
    {
        var ns = await cluster.NewNamespaceAsync("ev");
        using var client = cluster.NewClient();
        var recorder = new EventRecorder(client, "replicaset-controller");
        var involved = ReplicaSet(ns);

        for (var i = 0; i < 3; i++)
        {
            await recorder.Event(involved, EventRecorder.Warning, "FailedCreate", "Error creating: quota exceeded");
        }

        var stored = Assert.Single((await client.ListAsync<Event>(ns)).Items);
        Assert.Equal((3, "Error creating: quota exceeded"), (stored.Count, stored.Message));

        await client.DeleteAsync<Event>(ns, stored.Metadata!.Name!);
        await recorder.Event(involved, EventRecorder.Warning, "FailedCreate", "Error creating: quota exceeded");
        var recreated = Assert.Single((await client.ListAsync<Event>(ns)).Items);
        Assert.Equal((stored.Metadata.Name, 4), (recreated.Metadata?.Name, recreated.Count));
    }

    [Fact]
    public async Task Thirty_events_differing_in_message_recorded_at_once_store_nine_events_and_one_aggregate_counted_to_the_burst()
    {
        var ns = await cluster.NewNamespaceAsync("ev");
        using var client = cluster.NewClient();
        var recorder = new EventRecorder(client, "replicaset-controller");
        var involved = ReplicaSet(ns);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => recorder.Event(involved, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: web-{i}")).ToList());

        var events = (await client.ListAsync<Event>(ns)).Items;
        Assert.Equal(10, events.Count);
        var aggregate = Assert.Single(events, e => e.Message!.StartsWith(EventAggregator.CombinedPrefix, StringComparison.Ordinal));
        // The 10th event started the aggregate; the 11th to 25th patched it in order; the last five were over the burst.
        Assert.Equal(16, aggregate.Count);
        Assert.Equal(9, events.Count(e => e.Count == 1 && e != aggregate));
    }

    [Fact]
    public async Task Similar_events_recorded_from_many_threads_at_once_leave_the_aggregate_at_its_last_count()
    {
        // A ReplicaSet's parallel creates record from several threads. Each patch carries the count taken when its
        // event was correlated; if a later count's patch could overtake an earlier one, the stored count would go back.
        var ns = await cluster.NewNamespaceAsync("ev");
        using var client = cluster.NewClient();
        var recorder = new EventRecorder(client, "replicaset-controller");
        var involved = ReplicaSet(ns);
        const int threads = 6;
        const int perThread = 5;
        var writes = new Task[threads * perThread];
        using var start = new Barrier(threads);
        var recorders = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                writes[(t * perThread) + i] = recorder.Event(involved, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: web-{t}-{i}");
            }
        })).ToList();
        recorders.ForEach(r => r.Start());
        recorders.ForEach(r => r.Join());
        await Task.WhenAll(writes);

        var events = (await client.ListAsync<Event>(ns)).Items;
        var aggregate = Assert.Single(events, e => e.Message!.StartsWith(EventAggregator.CombinedPrefix, StringComparison.Ordinal));
        Assert.Equal(16, aggregate.Count); // as when recorded one by one: the 25th event's count; the last five are over the burst
        Assert.Equal(10, events.Count);
    }
}
