using System.Diagnostics;

namespace MiniKube.Cli.Bench;

/// <summary>
/// Spaces operations evenly at a rate shared by all clients: each caller takes the next free slot
/// and waits for it. Slots are never banked while clients fall behind, so there are no bursts.
/// Thread-safe.
/// </summary>
public sealed class Pacer(double perSecond)
{
    private readonly long _interval = Math.Max(1, (long)(Stopwatch.Frequency / perSecond));
    private long _next = Stopwatch.GetTimestamp();

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        long now, slot, current;
        do
        {
            current = Volatile.Read(ref _next);
            now = Stopwatch.GetTimestamp();
            slot = Math.Max(current, now);
        }
        while (Interlocked.CompareExchange(ref _next, slot + _interval, current) != current);

        return slot <= now ? ValueTask.CompletedTask : new ValueTask(Task.Delay(Stopwatch.GetElapsedTime(now, slot), cancellationToken));
    }
}
