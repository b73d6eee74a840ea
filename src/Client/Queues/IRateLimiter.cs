namespace MiniKube.Client.Queues;

/// <summary>How long an item should wait before its next try (client-go's workqueue.TypedRateLimiter).</summary>
public interface IRateLimiter<in T>
{
    /// <summary>The delay for this try; counts it as a failure.</summary>
    TimeSpan When(T item);

    /// <summary>The item succeeded: forget its failures.</summary>
    void Forget(T item);

    int NumRequeues(T item);
}
