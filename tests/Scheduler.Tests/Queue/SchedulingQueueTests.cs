using Microsoft.Extensions.Time.Testing;
using MiniKube.Scheduler.Queue;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Queue;

public sealed class SchedulingQueueTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SchedulingQueue _queue;

    public SchedulingQueueTests() => _queue = new SchedulingQueue(_time);

    public void Dispose() => _queue.Dispose();

    private QueuedPodInfo Pop()
    {
        Assert.True(_queue.TryPop(out var popped), "the active queue is empty");
        return popped;
    }

    /// <summary>Pops the pod and fails it as unschedulable in its own cycle.</summary>
    private QueuedPodInfo PopAndFail(bool unschedulable = true)
    {
        var popped = Pop();
        _queue.AddUnschedulableIfNotPresent(popped, unschedulable, _queue.SchedulingCycle);
        return popped;
    }

    [Fact]
    public void Pop_hands_out_higher_priority_first_then_in_arrival_order()
    {
        _queue.Add(Pod("low-1", priority: 0));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Add(Pod("high", priority: 10));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Add(Pod("low-2", priority: 0));
        _queue.Add(Pod("low-3"));

        Assert.Equal(["high", "low-1", "low-2", "low-3"], Enumerable.Range(0, 4).Select(_ => Pop().PodInfo.Name));
        Assert.False(_queue.TryPop(out _));
    }

    [Fact]
    public void A_failed_pod_backs_off_exponentially_from_1s_to_at_most_10s()
    {
        _queue.Add(Pod("p"));
        var waits = new List<double>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var popped = PopAndFail(unschedulable: false);
            Assert.Equal("backoff", _queue.WhereIs("default/p"));
            var waited = TimeSpan.Zero;
            while (_queue.WhereIs("default/p") == "backoff")
            {
                _time.Advance(TimeSpan.FromMilliseconds(250));
                waited += TimeSpan.FromMilliseconds(250);
                _queue.FlushBackoffQCompleted();
            }

            Assert.Equal("active", _queue.WhereIs("default/p"));
            Assert.Equal(attempt, popped.Attempts);
            waits.Add(waited.TotalSeconds);
        }

        Assert.Equal([1.0, 2, 4, 8, 10, 10], waits);
    }

    [Fact]
    public void The_backoff_timer_moves_pods_on_when_the_fake_clock_advances()
    {
        _queue.Run();
        _queue.Add(Pod("p"));
        PopAndFail(unschedulable: false);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("backoff", _queue.WhereIs("default/p"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("active", _queue.WhereIs("default/p"));
    }

    [Fact]
    public void An_unschedulable_pod_waits_until_a_node_is_added_and_then_goes_to_active_once_its_backoff_is_over()
    {
        _queue.Add(Pod("p"));
        PopAndFail();
        Assert.Equal("unschedulable", _queue.WhereIs("default/p"));

        _time.Advance(TimeSpan.FromSeconds(5));
        _queue.FlushBackoffQCompleted();
        Assert.Equal("unschedulable", _queue.WhereIs("default/p"));

        _queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventNodeAdd);
        Assert.Equal("active", _queue.WhereIs("default/p"));
    }

    [Fact]
    public void An_unschedulable_pod_still_backing_off_moves_to_backoff_on_a_cluster_event()
    {
        _queue.Add(Pod("p"));
        PopAndFail();

        _queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventNodeAdd);

        Assert.Equal("backoff", _queue.WhereIs("default/p"));
    }

    [Fact]
    public void A_pod_that_fails_in_a_cycle_during_which_a_node_was_added_goes_to_backoff_not_unschedulable()
    {
        _queue.Add(Pod("p"));
        var popped = Pop();
        var cycle = _queue.SchedulingCycle;

        _queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventNodeAdd);
        _queue.AddUnschedulableIfNotPresent(popped, unschedulable: true, cycle);

        Assert.Equal("backoff", _queue.WhereIs("default/p"));
    }

    [Fact]
    public void Unschedulable_pods_are_flushed_after_five_minutes()
    {
        _queue.Add(Pod("p"));
        PopAndFail();

        _time.Advance(TimeSpan.FromMinutes(4));
        _queue.FlushUnschedulablePodsLeftover();
        Assert.Equal("unschedulable", _queue.WhereIs("default/p"));

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        _queue.FlushUnschedulablePodsLeftover();
        Assert.Equal("active", _queue.WhereIs("default/p"));
    }

    [Fact]
    public void A_status_only_update_leaves_an_unschedulable_pod_waiting_but_a_spec_change_moves_it()
    {
        var pod = Pod("p");
        _queue.Add(pod);
        PopAndFail();
        _time.Advance(TimeSpan.FromSeconds(30));

        var statusOnly = Pod("p");
        statusOnly.Metadata!.ResourceVersion = "2";
        statusOnly.Status!.Conditions = [new() { Type = "PodScheduled", Status = "False", Reason = "Unschedulable" }];
        _queue.Update(pod, statusOnly);
        Assert.Equal("unschedulable", _queue.WhereIs("default/p"));

        var respecced = Pod("p", cpu: "100m");
        respecced.Metadata!.ResourceVersion = "3";
        _queue.Update(statusOnly, respecced);
        Assert.Equal("active", _queue.WhereIs("default/p"));
        Assert.NotNull(Pop().PodInfo.Pod.Spec!.Containers![0].Resources);
    }

    [Fact]
    public void A_pod_deleted_while_it_is_being_scheduled_is_not_put_back()
    {
        var pod = Pod("p");
        _queue.Add(pod);
        var popped = Pop();

        _queue.Delete(pod);
        _queue.AddUnschedulableIfNotPresent(popped, unschedulable: true, _queue.SchedulingCycle);

        Assert.Null(_queue.WhereIs("default/p"));
    }

    [Fact]
    public void Deleting_a_queued_pod_removes_it_from_every_part()
    {
        _queue.Add(Pod("active"));
        _queue.Add(Pod("backoff"));
        _queue.Add(Pod("unschedulable"));
        var first = Pop();
        var second = Pop();
        _queue.AddUnschedulableIfNotPresent(first, unschedulable: false, _queue.SchedulingCycle);
        _queue.AddUnschedulableIfNotPresent(second, unschedulable: true, _queue.SchedulingCycle);
        Assert.Equal((1, 1, 1), (_queue.ActiveCount, _queue.BackoffCount, _queue.UnschedulableCount));

        foreach (var name in new[] { "active", "backoff", "unschedulable" })
        {
            _queue.Delete(Pod(name));
        }

        Assert.Equal((0, 0, 0), (_queue.ActiveCount, _queue.BackoffCount, _queue.UnschedulableCount));
        _time.Advance(TimeSpan.FromSeconds(20));
        _queue.FlushBackoffQCompleted();
        Assert.False(_queue.TryPop(out _));
    }

    [Fact]
    public async Task PopAsync_waits_for_a_pod_and_returns_null_when_closed()
    {
        var waiting = _queue.PopAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        _queue.Add(Pod("p"));
        var popped = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("p", popped!.PodInfo.Name);

        var closed = _queue.PopAsync(CancellationToken.None).AsTask();
        _queue.Close();
        Assert.Null(await closed.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
