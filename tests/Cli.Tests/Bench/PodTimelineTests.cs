using MiniKube.Cli.Bench.E2e;

namespace MiniKube.Cli.Tests.Bench;

public sealed class PodTimelineTests
{
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void First_sighting_of_each_state_counts_and_later_events_do_not_move_it()
    {
        var timeline = new PodTimeline();
        timeline.Observe("a", null, "Pending", Ms(100));
        timeline.Observe("a", "node-1", "Pending", Ms(300));
        timeline.Observe("a", "node-1", "Running", Ms(900));
        timeline.Observe("a", "node-1", "Running", Ms(5000));
        timeline.Observe("b", null, "Pending", Ms(200));

        Assert.Equal((2, 1, 1), (timeline.Created, timeline.Scheduled, timeline.Running));
        Assert.Equal(Ms(200), timeline.AllCreated(2));
        Assert.Null(timeline.AllScheduled(2));
        Assert.Equal(Ms(900), timeline.AllRunning(1));
    }

    [Fact]
    public void Throughput_spans_first_to_last_binding_and_the_peak_is_the_busiest_second()
    {
        var timeline = new PodTimeline();
        // 1 binding at 0 s, 5 within 0.5 s starting at 2 s, 1 at 4 s: 7 over 4 s, at most 5 in any second.
        int[] bindings = [0, 2000, 2100, 2200, 2300, 2500, 4000];
        for (var i = 0; i < bindings.Length; i++)
        {
            timeline.Observe($"p{i}", "node-1", "Pending", Ms(bindings[i]));
        }

        Assert.Equal(7 / 4.0, timeline.SchedulingThroughput()!.Value, precision: 6);
        Assert.Equal(5, timeline.PeakBindingsPerSecond());
    }
}
