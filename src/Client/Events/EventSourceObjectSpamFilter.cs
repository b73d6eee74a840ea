using MiniKube.Api.Core;

namespace MiniKube.Client.Events;

/// <summary>
/// client-go's EventSourceObjectSpamFilter: each source may write <c>burst</c> events about one object, then one per
/// 1/<c>qps</c> seconds; events beyond that are dropped. It bounds the long tail of an object that keeps failing.
/// Thread-safe.
/// </summary>
public sealed class EventSourceObjectSpamFilter(int cacheSize, int burst, double qps, TimeProvider time)
{
    private readonly LruCache<string, TokenBucket> _buckets = new(cacheSize);
    private readonly Lock _lock = new();

    /// <summary>True when <paramref name="e"/> is over its source's budget for its object and must be dropped.</summary>
    public bool Filter(Event e)
    {
        var key = EventKeys.Spam(e);
        lock (_lock)
        {
            if (!_buckets.TryGet(key, out var bucket))
            {
                bucket = new TokenBucket(burst, qps, time.GetUtcNow());
            }

            // Re-adding marks the bucket most recently used, so a busy object is not the one forgotten.
            _buckets.Add(key, bucket);
            return !bucket.TryTake(time.GetUtcNow());
        }
    }

    /// <summary>Starts full; refills continuously up to <c>burst</c>. Guarded by the filter's lock.</summary>
    private sealed class TokenBucket(int burst, double qps, DateTimeOffset created)
    {
        private double _tokens = burst;
        private DateTimeOffset _refilled = created;

        public bool TryTake(DateTimeOffset now)
        {
            if (now > _refilled)
            {
                _tokens = Math.Min(burst, _tokens + ((now - _refilled).TotalSeconds * qps));
                _refilled = now;
            }

            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
