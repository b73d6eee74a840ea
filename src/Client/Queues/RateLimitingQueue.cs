namespace MiniKube.Client.Queues;

/// <summary>
/// A <see cref="DelayingQueue{T}"/> whose retries wait as a rate limiter says (client-go's RateLimitingInterface):
/// a controller calls <see cref="AddRateLimited"/> when a key fails and <see cref="Forget"/> when it succeeds.
/// </summary>
public sealed class RateLimitingQueue<T>(IRateLimiter<T>? rateLimiter = null, TimeProvider? timeProvider = null)
    : DelayingQueue<T>(timeProvider)
    where T : notnull
{
    private readonly IRateLimiter<T> _limiter = rateLimiter ?? RateLimiters.DefaultController<T>(timeProvider);

    public void AddRateLimited(T item) => AddAfter(item, _limiter.When(item));

    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);
}
