using MiniKube.Client.Queues;

namespace MiniKube.Client.Tests.Queues;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task WorkQueue_hands_out_items_in_order_and_drops_duplicates_when_added_twice()
    {
        var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal(("a", false), await queue.GetAsync());
        Assert.Equal(("b", false), await queue.GetAsync());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task WorkQueue_never_gives_one_item_to_two_workers_and_requeues_it_after_done_when_added_while_processing()
    {
        var queue = new WorkQueue<string>();
        queue.Add("k");
        var (first, _) = await queue.GetAsync();

        queue.Add("k");
        Assert.Equal(0, queue.Count);
        var second = queue.GetAsync();
        Assert.False(second.IsCompleted);

        queue.Done(first);
        Assert.Equal(("k", false), await second.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        queue.Done("k");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task WorkQueue_wakes_a_waiting_worker_when_an_item_is_added()
    {
        var queue = new WorkQueue<int>();
        var waiting = queue.GetAsync();
        Assert.False(waiting.IsCompleted);

        queue.Add(7);

        Assert.Equal((7, false), await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ShutDown_lets_workers_drain_then_reports_shutdown_and_refuses_new_items()
    {
        var queue = new WorkQueue<string>();
        var idle = queue.GetAsync();
        queue.ShutDown();
        Assert.True((await idle.AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Shutdown);

        var queue2 = new WorkQueue<string>();
        queue2.Add("x");
        queue2.ShutDown();
        queue2.Add("y");
        Assert.Equal(("x", false), await queue2.GetAsync());
        Assert.True((await queue2.GetAsync()).Shutdown);
    }

    [Fact]
    public async Task GetAsync_gives_the_item_to_another_worker_when_a_waiter_is_cancelled()
    {
        var queue = new WorkQueue<string>();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token);
        var other = queue.GetAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask());

        queue.Add("z");

        Assert.Equal(("z", false), await other.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Many_workers_process_each_key_one_at_a_time_when_keys_are_added_concurrently()
    {
        const int seed = 4242;
        var random = new Random(seed);
        var queue = new WorkQueue<int>();
        var inFlight = new int[10];
        var overlaps = 0;
        var processed = 0;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (key, shutdown) = await queue.GetAsync();
                if (shutdown)
                {
                    return;
                }

                if (Interlocked.Increment(ref inFlight[key]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Decrement(ref inFlight[key]);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToArray();

        for (var i = 0; i < 2000; i++)
        {
            queue.Add(random.Next(10));
        }

        while (queue.Count > 0)
        {
            await Task.Delay(5);
        }

        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(overlaps == 0, $"seed {seed}: {overlaps} overlaps");
        Assert.InRange(processed, 10, 2000);
    }
}
