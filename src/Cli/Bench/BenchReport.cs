namespace MiniKube.Cli.Bench;

/// <summary>
/// The outcome of one benchmark: its duration, the latency of every successful operation (sorted,
/// in seconds) and the failures by message, with the statistics etcd's benchmark prints.
/// </summary>
public sealed class BenchReport
{
    /// <summary>The percentiles printed in the latency distribution, as etcd's benchmark prints them.</summary>
    public static readonly IReadOnlyList<double> Percentiles = [10, 25, 50, 75, 90, 95, 99, 99.9];

    private BenchReport(string name, TimeSpan duration, double[] latencies, IReadOnlyDictionary<string, int> errors, BenchReport? writes)
    {
        Name = name;
        Writes = writes;
        Duration = duration;
        Latencies = latencies;
        Errors = errors;
        if (latencies.Length == 0)
        {
            return;
        }

        var sum = 0.0;
        foreach (var latency in latencies)
        {
            sum += latency;
        }

        Average = sum / latencies.Length;
        var squares = 0.0;
        foreach (var latency in latencies)
        {
            squares += (latency - Average) * (latency - Average);
        }

        Stddev = Math.Sqrt(squares / latencies.Length);
    }

    public string Name { get; }

    /// <summary>Wall-clock time from the first operation's start to the last one's end.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Latencies of the successful operations in seconds, ascending.</summary>
    public IReadOnlyList<double> Latencies { get; }

    public IReadOnlyDictionary<string, int> Errors { get; }

    /// <summary>For a watch benchmark, the writer's own puts, whose latency is part of each delivery's.</summary>
    public BenchReport? Writes { get; }

    public int Succeeded => Latencies.Count;

    public int Failed => Errors.Values.Sum();

    public int Operations => Succeeded + Failed;

    /// <summary>Successful operations per second of <see cref="Duration"/>.</summary>
    public double Throughput => Duration > TimeSpan.Zero ? Succeeded / Duration.TotalSeconds : 0;

    public double Fastest => Succeeded > 0 ? Latencies[0] : 0;

    public double Slowest => Succeeded > 0 ? Latencies[^1] : 0;

    public double Average { get; }

    public double Stddev { get; }

    public static BenchReport Create(string name, TimeSpan duration, double[] latencies, IReadOnlyDictionary<string, int> errors, BenchReport? writes = null)
    {
        Array.Sort(latencies);
        return new BenchReport(name, duration, latencies, errors, writes);
    }

    /// <summary>
    /// Several runs of the same workload as one: their latencies and errors pooled, their durations
    /// added, so that throughput is all operations over all the time spent measuring.
    /// </summary>
    public static BenchReport Combine(IReadOnlyList<BenchReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 1)
        {
            return runs[0];
        }

        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (error, count) in runs.SelectMany(r => r.Errors))
        {
            errors[error] = errors.GetValueOrDefault(error) + count;
        }

        var writes = runs.Select(r => r.Writes).OfType<BenchReport>().ToList();
        return Create(
            runs[0].Name,
            TimeSpan.FromTicks(runs.Sum(r => r.Duration.Ticks)),
            [.. runs.SelectMany(r => r.Latencies)],
            errors,
            writes.Count > 0 ? Combine(writes) : null);
    }

    /// <summary>
    /// The latency below which <paramref name="percent"/>% of operations fall: nearest rank, as
    /// etcd's report computes it (the ⌈p(n+1)/100⌉-th smallest, clamped to the samples).
    /// </summary>
    public double Percentile(double percent)
    {
        var n = Latencies.Count;
        if (n == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent * (n + 1) / 100.0) - 1;
        return Latencies[Math.Clamp(rank, 0, n - 1)];
    }
}
