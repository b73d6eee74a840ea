using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;
using MiniKube.Testing.Cluster;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests;

public sealed class KubeSchedulerTests : IDisposable
{
    private const int Seed = 1234;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeSchedulerApi _api = new();
    private readonly KubeScheduler _scheduler;

    public KubeSchedulerTests() => _scheduler = new KubeScheduler(_api, new SchedulerOptions { Seed = Seed, TimeProvider = _time });

    public void Dispose() => _scheduler.Dispose();

    /// <summary>Schedules every pod in the active queue, one by one, and waits for the bindings.</summary>
    private async Task DrainAsync()
    {
        while (_scheduler.Queue.TryPop(out var queued))
        {
            await _scheduler.ScheduleOneAsync(queued, _scheduler.Queue.SchedulingCycle, CancellationToken.None);
        }

        await _scheduler.WaitForBackgroundWritesAsync();
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(1000, 420)]
    [InlineData(5000, 500)]
    [InlineData(10000, 500)]
    public void NumFeasibleNodesToFind_follows_the_adaptive_percentage(int nodes, int expected) =>
        Assert.Equal(expected, KubeScheduler.NumFeasibleNodesToFind(0, nodes));

    [Fact]
    public async Task Pods_of_one_owner_are_bound_and_spread_evenly_across_equal_nodes()
    {
        for (var i = 0; i < 3; i++)
        {
            _scheduler.OnNodeAdd(Node($"node-{i}"));
        }

        for (var i = 0; i < 9; i++)
        {
            _scheduler.OnPodAdd(Pod($"web-{i}", cpu: "100m", memory: "128Mi", ownerUid: "rs-web"));
        }

        await DrainAsync();

        Assert.Equal(9, _api.Bindings.Count);
        Assert.All(_api.Bindings.Values.GroupBy(n => n), g => Assert.Equal(3, g.Count()));
        Assert.Equal(9, _api.Events.Count(e => e.Reason == "Scheduled" && e.Type == "Normal"));
        Assert.Contains(_api.Events, e => e.Message == $"Successfully assigned default/web-0 to {_api.Bindings["default/web-0"]}");
    }

    [Fact]
    public async Task The_next_pod_sees_the_room_an_assumed_pod_took_before_its_binding_is_confirmed()
    {
        _scheduler.OnNodeAdd(Node("small", cpu: "1", memory: "8Gi"));
        _scheduler.OnNodeAdd(Node("big", cpu: "2", memory: "8Gi"));
        _scheduler.OnPodAdd(Pod("a", cpu: "1"));
        _scheduler.OnPodAdd(Pod("b", cpu: "1"));
        _scheduler.OnPodAdd(Pod("c", cpu: "1"));

        await DrainAsync();

        // Three 1-cpu pods fill 3 cpus exactly only if each saw the previous ones' room taken.
        Assert.Equal(3, _api.Bindings.Count);
        Assert.Equal(2, _api.Bindings.Values.Count(n => n == "big"));
        Assert.Equal(3, _scheduler.Cache.AssumedPodCount);
    }

    [Fact]
    public async Task A_pod_that_fits_nowhere_gets_the_aggregated_reason_and_is_scheduled_once_a_bigger_node_is_added()
    {
        for (var i = 0; i < 3; i++)
        {
            _scheduler.OnNodeAdd(Node($"node-{i}", cpu: "1"));
        }

        _scheduler.OnPodAdd(Pod("huge", cpu: "2"));
        await DrainAsync();

        const string message = "0/3 nodes are available: 3 Insufficient cpu.";
        Assert.Empty(_api.Bindings);
        var (pod, condition) = Assert.Single(_api.Conditions);
        Assert.Equal(("default/huge", "PodScheduled", "False", "Unschedulable", message), (pod, condition.Type, condition.Status, condition.Reason, condition.Message));
        Assert.Contains(_api.Events, e => e == ("default/huge", "Warning", "FailedScheduling", message));
        Assert.Equal("unschedulable", _scheduler.Queue.WhereIs("default/huge"));

        _time.Advance(TimeSpan.FromSeconds(2));
        _scheduler.OnNodeAdd(Node("node-big", cpu: "4"));
        await DrainAsync();

        Assert.Equal("node-big", _api.Bindings["default/huge"]);
    }

    [Fact]
    public void The_failure_message_counts_each_reason_across_nodes()
    {
        _scheduler.OnNodeAdd(Node("tainted", taints: [new Taint { Key = "dedicated", Value = "infra", Effect = "NoSchedule" }]));
        _scheduler.OnNodeAdd(Node("cordoned", unschedulable: true));
        _scheduler.OnNodeAdd(Node("small-1", cpu: "1", memory: "1Gi"));
        _scheduler.OnNodeAdd(Node("small-2", cpu: "1", memory: "8Gi"));
        _scheduler.OnNodeAdd(Node("full", pods: 1));
        _scheduler.OnPodAdd(Pod("x", cpu: "100m", nodeName: "full"));

        var result = _scheduler.SchedulePod(new PodInfo(Pod("p", cpu: "2", memory: "2Gi")));

        Assert.False(result.Succeeded);
        Assert.Equal(
            "0/5 nodes are available: 1 Insufficient memory, 1 Too many pods, 1 node(s) had untolerated taint {dedicated: infra}, 1 node(s) were unschedulable, 2 Insufficient cpu.",
            result.Error!.Message);
    }

    [Fact]
    public void With_no_nodes_the_error_is_Kubernetes_no_nodes_available()
    {
        var result = _scheduler.SchedulePod(new PodInfo(Pod("p")));

        Assert.Equal("no nodes available to schedule pods", result.Error!.Message);
    }

    [Fact]
    public async Task A_failed_binding_forgets_the_assumption_and_the_pod_is_retried_after_its_backoff()
    {
        _scheduler.OnNodeAdd(Node("n", cpu: "1"));
        _api.FailBindingOf["default/p"] = true;
        _scheduler.OnPodAdd(Pod("p", cpu: "1"));

        await DrainAsync();

        Assert.Empty(_api.Bindings);
        Assert.False(_scheduler.Cache.IsAssumedPod("default/p"));
        Assert.Equal(0, _scheduler.Cache.GetNode("n")!.Requested.MilliCpu);
        Assert.Equal("backoff", _scheduler.Queue.WhereIs("default/p"));

        _api.FailBindingOf.Clear();
        _time.Advance(TimeSpan.FromSeconds(1));
        _scheduler.Queue.FlushBackoffQCompleted();
        await DrainAsync();

        Assert.Equal("n", _api.Bindings["default/p"]);
    }

    [Fact]
    public async Task Pods_for_another_scheduler_and_pods_already_bound_are_not_queued()
    {
        _scheduler.OnNodeAdd(Node("n"));
        var other = Pod("other");
        other.Spec!.SchedulerName = "my-scheduler";
        _scheduler.OnPodAdd(other);
        _scheduler.OnPodAdd(Pod("bound", cpu: "1", nodeName: "n"));

        await DrainAsync();

        Assert.Empty(_api.Bindings);
        Assert.Equal(1000, _scheduler.Cache.GetNode("n")!.Requested.MilliCpu);
    }

    [Fact]
    public async Task Deleting_an_assigned_pod_lets_a_waiting_pod_onto_its_node()
    {
        _scheduler.OnNodeAdd(Node("n", cpu: "1"));
        var running = Pod("running", cpu: "1", nodeName: "n");
        _scheduler.OnPodAdd(running);
        _scheduler.OnPodAdd(Pod("waiting", cpu: "1"));
        await DrainAsync();
        Assert.Equal("unschedulable", _scheduler.Queue.WhereIs("default/waiting"));

        _time.Advance(TimeSpan.FromSeconds(2));
        _scheduler.OnPodDelete(running);
        await DrainAsync();

        Assert.Equal("n", _api.Bindings["default/waiting"]);
    }

    [Fact]
    public async Task Equal_nodes_are_chosen_at_random_but_the_same_seed_chooses_the_same()
    {
        async Task<string[]> RunAsync(int seed)
        {
            var api = new FakeSchedulerApi();
            using var scheduler = new KubeScheduler(api, new SchedulerOptions { Seed = seed, TimeProvider = _time });
            for (var i = 0; i < 10; i++)
            {
                scheduler.OnNodeAdd(Node($"n{i}"));
            }

            for (var i = 0; i < 5; i++)
            {
                // No owner, distinct labels: nothing but the tie-break tells the nodes apart.
                scheduler.OnPodAdd(Pod($"p{i}", cpu: "1m", labels: new() { ["i"] = $"{i}" }));
            }

            while (scheduler.Queue.TryPop(out var queued))
            {
                await scheduler.ScheduleOneAsync(queued, scheduler.Queue.SchedulingCycle, CancellationToken.None);
            }

            await scheduler.WaitForBackgroundWritesAsync();
            return [.. Enumerable.Range(0, 5).Select(i => api.Bindings[$"default/p{i}"])];
        }

        var first = await RunAsync(Seed);
        Assert.Equal(first, await RunAsync(Seed));
        var others = await Task.WhenAll(Enumerable.Range(1, 5).Select(s => RunAsync(Seed + s)));
        Assert.Contains(others, o => !o.SequenceEqual(first));
    }

    [Fact]
    public async Task Scheduled_events_are_written_one_at_a_time_never_hold_up_bindings_and_drop_past_the_queue_limit()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new FakeSchedulerApi { HoldEvents = hold };
        using var scheduler = new KubeScheduler(api, new SchedulerOptions { Seed = Seed, TimeProvider = _time, MaxQueuedEvents = 5 });
        scheduler.OnNodeAdd(Node("node-0"));
        for (var i = 0; i < 8; i++)
        {
            scheduler.OnPodAdd(Pod($"p{i}", cpu: "1m"));
        }

        while (scheduler.Queue.TryPop(out var queued))
        {
            await scheduler.ScheduleOneAsync(queued, scheduler.Queue.SchedulingCycle, CancellationToken.None);
        }

        // Every pod binds while the first event write is still stuck; 5 events wait, 3 found the queue full.
        await Eventually.TrueAsync(() => scheduler.DroppedEventCount == 3, "3 events dropped", TimeSpan.FromSeconds(10));
        Assert.Equal(8, api.Bindings.Count);
        var drained = scheduler.WaitForBackgroundWritesAsync();
        Assert.False(drained.IsCompleted);

        hold.SetResult();
        await drained;
        Assert.Equal(5, api.Events.Count(e => e.Reason == "Scheduled"));
        Assert.Equal(1, api.MaxConcurrentEvents);
    }

    [Fact]
    public void On_a_large_cluster_only_the_adaptive_share_of_nodes_is_evaluated_and_the_search_rotates()
    {
        for (var i = 0; i < 1000; i++)
        {
            _scheduler.OnNodeAdd(Node($"n{i:D4}"));
        }

        var first = _scheduler.SchedulePod(new PodInfo(Pod("a")));
        var second = _scheduler.SchedulePod(new PodInfo(Pod("b")));

        Assert.Equal((420, 420), (first.EvaluatedNodes, first.FeasibleNodes));
        Assert.Equal(420, second.EvaluatedNodes);
        Assert.True(string.CompareOrdinal(first.SuggestedHost, "n0420") < 0, first.SuggestedHost);
        Assert.True(string.CompareOrdinal(second.SuggestedHost, "n0420") >= 0 && string.CompareOrdinal(second.SuggestedHost, "n0840") < 0, second.SuggestedHost);
    }
}
