namespace MiniKube.Client.Queues;

/// <summary>Per item: baseDelay·2^failures, capped at maxDelay (client-go's ItemExponentialFailureRateLimiter).</summary>
public sealed class ExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        int exp;
        lock (_failures)
        {
            exp = _failures.GetValueOrDefault(item);
            _failures[item] = exp + 1;
        }

        // 2^63 overflows long; anything past 2^62 base ticks is over every sane maximum anyway.
        if (exp >= 62)
        {
            return maxDelay;
        }

        var ticks = baseDelay.Ticks * Math.Pow(2, exp);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_failures)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_failures)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
