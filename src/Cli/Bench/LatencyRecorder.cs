using System.Collections.Concurrent;
using System.Diagnostics;

namespace MiniKube.Cli.Bench;

/// <summary>
/// Collects the outcome of a fixed number of operations from concurrent clients: latencies go into
/// an array allocated up front (recording one is an interlocked increment and a store), failures
/// into a count per error message. Thread-safe.
/// </summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private long _claimed;
    private int _recorded;

    public int Capacity => _ticks.Length;

    /// <summary>Failures so far, by message.</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>Takes the next operation number, or returns false once all <see cref="Capacity"/> are taken.</summary>
    public bool TryClaim(out long operation)
    {
        operation = Interlocked.Increment(ref _claimed) - 1;
        return operation < _ticks.Length;
    }

    /// <summary>Records a latency of <paramref name="elapsed"/> <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long elapsed)
    {
        var slot = Interlocked.Increment(ref _recorded) - 1;
        _ticks[slot] = elapsed;
    }

    public void Fail(string error, int count = 1) => _errors.AddOrUpdate(error, count, (_, n) => n + count);

    /// <summary>The results so far; call it once the clients are done.</summary>
    public BenchReport ToReport(string name, TimeSpan duration, BenchReport? writes = null)
    {
        var count = Volatile.Read(ref _recorded);
        var seconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            seconds[i] = (double)_ticks[i] / Stopwatch.Frequency;
        }

        return BenchReport.Create(name, duration, seconds, new Dictionary<string, int>(_errors, StringComparer.Ordinal), writes);
    }
}
