namespace MiniKube.Etcd.Client.Transport;

/// <summary>Exponential waits between reconnection attempts: 50 ms, doubling up to a cap. Not thread-safe.</summary>
internal sealed class Backoff(TimeSpan max, TimeProvider time)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(50);
    private TimeSpan _next = First;

    public void Reset() => _next = First;

    /// <summary>The wait before the next attempt; each call doubles the one after.</summary>
    public TimeSpan Next()
    {
        var wait = _next < max ? _next : max;
        _next = wait * 2;
        return wait;
    }

    public Task DelayAsync(CancellationToken cancellationToken) => Task.Delay(Next(), time, cancellationToken);
}
