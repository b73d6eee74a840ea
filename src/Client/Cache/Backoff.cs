namespace MiniKube.Client.Cache;

/// <summary>
/// Exponential backoff with jitter (client-go's wait.Backoff as the reflector uses it): each failure doubles the
/// step up to <see cref="Max"/>, a random share of up to <see cref="Jitter"/> is added, and a success resets it.
/// The random source is seeded so a run can be replayed. Not thread-safe: one per loop.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, double jitter, int seed)
{
    private readonly Random _random = new(seed);
    private TimeSpan _next = initial;

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Max { get; } = max;

    public double Jitter { get; } = jitter;

    public int Seed { get; } = seed;

    /// <summary>The wait before the next attempt; advances the step.</summary>
    public TimeSpan Next()
    {
        var step = _next;
        _next = TimeSpan.FromTicks(Math.Min(Max.Ticks, step.Ticks * 2));
        return step + TimeSpan.FromTicks((long)(step.Ticks * Jitter * _random.NextDouble()));
    }

    public void Reset() => _next = Initial;
}
