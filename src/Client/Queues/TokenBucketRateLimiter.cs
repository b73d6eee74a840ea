namespace MiniKube.Client.Queues;

/// <summary>
/// One bucket for every item (client-go's BucketRateLimiter over x/time/rate): <c>burst</c> tokens, refilled at
/// <c>qps</c>; each try reserves a token and waits until it exists. Not per item, so Forget does nothing.
/// </summary>
public sealed class TokenBucketRateLimiter<T>(double qps, int burst, TimeProvider? timeProvider = null) : IRateLimiter<T>
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private DateTimeOffset? _last;

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_last is { } last && now > last)
            {
                _tokens = Math.Min(burst, _tokens + ((now - last).TotalSeconds * qps));
            }

            if (_last is null || now > _last)
            {
                _last = now;
            }

            _tokens -= 1;
            // A negative balance is a reservation: the token arrives after -tokens/qps seconds.
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / qps);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
