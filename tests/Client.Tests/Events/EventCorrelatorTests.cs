using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Client.Events;

namespace MiniKube.Client.Tests.Events;

public sealed class EventCorrelatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static Event NewEvent(TimeProvider time, string message, string involvedName = "web-abc", string reason = "SuccessfulCreate", string? name = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new ObjectMeta { Name = name ?? $"{involvedName}.{Guid.NewGuid():N}", Namespace = "default" },
        InvolvedObject = new ObjectReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Namespace = "default", Name = involvedName, Uid = $"uid-{involvedName}" },
        Type = EventRecorder.Normal,
        Reason = reason,
        Message = message,
        Source = new EventSource { Component = "replicaset-controller" },
        FirstTimestamp = time.GetUtcNow(),
        LastTimestamp = time.GetUtcNow(),
        Count = 1,
        ReportingComponent = "replicaset-controller",
        ReportingInstance = "replicaset-controller",
    };

    [Fact]
    public void LruCache_forgets_the_least_recently_used_entry_when_full()
    {
        var cache = new LruCache<string, int>(2);
        cache.Add("a", 1);
        cache.Add("b", 2);
        Assert.True(cache.TryGet("a", out _));
        cache.Add("c", 3);

        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out var a) && a == 1);
        Assert.True(cache.TryGet("c", out var c) && c == 3);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Spam_filter_passes_a_burst_of_25_per_source_and_object_then_one_per_300_seconds()
    {
        var time = new FakeTimeProvider(Start);
        var filter = new EventSourceObjectSpamFilter(4096, 25, 1.0 / 300, time);

        var passed = Enumerable.Range(0, 40).Count(i => !filter.Filter(NewEvent(time, $"m{i}")));
        Assert.Equal(25, passed);
        Assert.False(filter.Filter(NewEvent(time, "other object", involvedName: "db-xyz")));

        time.Advance(TimeSpan.FromSeconds(299));
        Assert.True(filter.Filter(NewEvent(time, "still too early")));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(filter.Filter(NewEvent(time, "refilled")));
        Assert.True(filter.Filter(NewEvent(time, "spent again")));
    }

    [Fact]
    public void Aggregator_combines_the_tenth_similar_event_within_ten_minutes_and_starts_over_after_a_quiet_interval()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new EventAggregator(4096, 10, TimeSpan.FromMinutes(10), time);

        var firstNine = Enumerable.Range(0, 9).Select(i => aggregator.Aggregate(NewEvent(time, $"Created pod: web-{i}"))).ToList();
        Assert.All(firstNine, r => Assert.DoesNotContain("combined", r.Event.Message, StringComparison.Ordinal));
        Assert.Equal(9, firstNine.Select(r => r.Key).Distinct().Count());

        time.Advance(TimeSpan.FromMinutes(9));
        var tenth = aggregator.Aggregate(NewEvent(time, "Created pod: web-9"));
        var eleventh = aggregator.Aggregate(NewEvent(time, "Created pod: web-10"));
        Assert.Equal("(combined from similar events): Created pod: web-9", tenth.Event.Message);
        Assert.Equal(("SuccessfulCreate", "web-abc", 1), (tenth.Event.Reason, tenth.Event.InvolvedObject?.Name, tenth.Event.Count));
        Assert.Equal(tenth.Key, eleventh.Key);
        Assert.Equal("(combined from similar events): Created pod: web-10", eleventh.Event.Message);

        // Another reason is another group.
        Assert.Equal("Deleted pod: web-0", aggregator.Aggregate(NewEvent(time, "Deleted pod: web-0", reason: "SuccessfulDelete")).Event.Message);

        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal("Created pod: web-11", aggregator.Aggregate(NewEvent(time, "Created pod: web-11")).Event.Message);
    }

    [Fact]
    public void Logger_turns_a_repeat_into_a_patch_of_the_first_events_count_and_last_timestamp()
    {
        var time = new FakeTimeProvider(Start);
        var logger = new EventLogger(4096, time);
        var first = NewEvent(time, "Back-off pulling image", name: "web-abc.first");

        var (created, noPatch) = logger.Observe(first, "k");
        Assert.Same(first, created);
        Assert.Null(noPatch);

        time.Advance(TimeSpan.FromSeconds(30));
        var (repeated, patch) = logger.Observe(NewEvent(time, "Back-off pulling image", name: "web-abc.second"), "k");
        Assert.Equal(("web-abc.first", 2, Start, Start.AddSeconds(30)), (repeated.Metadata?.Name, repeated.Count, repeated.FirstTimestamp, repeated.LastTimestamp));
        var fields = JsonNode.Parse(patch!)!.AsObject();
        Assert.Equal(["count", "lastTimestamp", "message"], fields.Select(f => f.Key).Order());
        Assert.Equal((2, "2026-12-02T10:00:30Z", "Back-off pulling image"), ((int)fields["count"]!, (string?)fields["lastTimestamp"], (string?)fields["message"]));

        // The server's answer for an older write never lowers the count already reached.
        Assert.Equal(3, logger.Observe(NewEvent(time, "Back-off pulling image"), "k").Event.Count);
        logger.UpdateState("k", repeated);
        Assert.Equal(4, logger.Observe(NewEvent(time, "Back-off pulling image"), "k").Event.Count);
    }

    [Fact]
    public void Correlator_writes_about_25_of_1000_SuccessfulCreate_events_nine_creates_one_aggregate_and_patches()
    {
        var time = new FakeTimeProvider(Start);
        var correlator = new EventCorrelator(time);

        var results = Enumerable.Range(0, 1000).Select(i =>
        {
            time.Advance(TimeSpan.FromMilliseconds(5));
            return correlator.Correlate(NewEvent(time, $"Created pod: web-{i}"));
        }).ToList();

        var written = results.Where(r => !r.Skip).ToList();
        Assert.Equal(25, written.Count);
        Assert.Equal(10, written.Count(r => r.Patch is null));
        Assert.Equal(15, written.Count(r => r.Patch is not null));
        var aggregate = written[9];
        Assert.StartsWith(EventAggregator.CombinedPrefix, aggregate.Event.Message, StringComparison.Ordinal);
        Assert.All(written.Skip(10), r => Assert.Equal(aggregate.Event.Metadata?.Name, r.Event.Metadata?.Name));
        // Dropped repeats still count: the aggregate's count covers every event since it began.
        Assert.Equal(991, results[^1].Event.Count);
    }

    [Fact]
    public void Correlator_counts_an_identical_event_again_as_a_patch_of_the_first()
    {
        var time = new FakeTimeProvider(Start);
        var correlator = new EventCorrelator(time);

        var first = correlator.Correlate(NewEvent(time, "Successfully assigned default/p to n1", reason: "Scheduled"));
        time.Advance(TimeSpan.FromSeconds(1));
        var second = correlator.Correlate(NewEvent(time, "Successfully assigned default/p to n1", reason: "Scheduled"));

        Assert.Equal((false, (string?)null, 1), (first.Skip, first.Patch, first.Event.Count));
        Assert.Equal((false, first.Key, first.Event.Metadata?.Name, 2), (second.Skip, second.Key, second.Event.Metadata?.Name, second.Event.Count));
        Assert.NotNull(second.Patch);
    }
}
