namespace MiniKube.Client.Queues;

/// <summary>Ready-made limiters.</summary>
public static class RateLimiters
{
    /// <summary>client-go's DefaultControllerRateLimiter: per item 5 ms doubling to 1000 s, and overall 10 qps
    /// with a burst of 100.</summary>
    public static IRateLimiter<T> DefaultController<T>(TimeProvider? timeProvider = null)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ExponentialFailureRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new TokenBucketRateLimiter<T>(10, 100, timeProvider));
}
