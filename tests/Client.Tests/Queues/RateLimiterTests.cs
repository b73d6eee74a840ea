using Microsoft.Extensions.Time.Testing;
using MiniKube.Client.Queues;

namespace MiniKube.Client.Tests.Queues;

public sealed class RateLimiterTests
{
    [Fact]
    public void ExponentialFailureRateLimiter_doubles_from_5ms_to_1000s_then_resets_when_forgotten()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        var delays = Enumerable.Range(0, 20).Select(_ => limiter.When("k")).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(5), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(10), delays[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 1024), delays[10]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[19]);
        Assert.Equal(20, limiter.NumRequeues("k"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("other"));

        limiter.Forget("k");
        Assert.Equal((0, TimeSpan.FromMilliseconds(5)), (limiter.NumRequeues("k"), limiter.When("k")));
    }

    [Fact]
    public void TokenBucketRateLimiter_allows_a_burst_then_paces_at_qps_and_refills_with_time()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<int>(10, 100, time);

        var burst = Enumerable.Range(0, 100).Select(limiter.When).ToList();
        Assert.All(burst, d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.When(101));

        time.Advance(TimeSpan.FromSeconds(1));
        // 10 tokens came back; 2 were already owed.
        Assert.Equal(TimeSpan.Zero, limiter.When(102));
    }

    [Fact]
    public async Task RateLimitingQueue_requeues_after_the_backoff_and_forget_resets_it()
    {
        var time = new FakeTimeProvider();
        using var queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);

        queue.AddRateLimited("k");
        queue.AddRateLimited("k");
        Assert.Equal((0, 2), (queue.Count, queue.NumRequeues("k")));

        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(("k", false), await queue.GetAsync());
        queue.Done("k");

        queue.AddRateLimited("k");
        time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);

        queue.Forget("k");
        Assert.Equal(0, queue.NumRequeues("k"));
    }
}
