using Microsoft.Extensions.Time.Testing;
using MiniKube.Client.Queues;

namespace MiniKube.Client.Tests.Queues;

public sealed class DelayingQueueTests
{
    [Fact]
    public void AddAfter_adds_the_item_only_when_the_clock_reaches_its_time()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("b", TimeSpan.FromSeconds(5));
        Assert.Equal((0, 2), (queue.Count, queue.WaitingCount));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal((1, 1), (queue.Count, queue.WaitingCount));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal((2, 0), (queue.Count, queue.WaitingCount));
    }

    [Fact]
    public async Task AddAfter_keeps_the_earlier_time_when_an_item_is_added_twice()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(("a", false), await queue.GetAsync());
        queue.Done("a");
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void AddAfter_with_no_delay_adds_at_once()
    {
        using var queue = new DelayingQueue<string>(new FakeTimeProvider());
        queue.AddAfter("now", TimeSpan.Zero);
        Assert.Equal(1, queue.Count);
    }
}
