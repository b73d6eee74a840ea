namespace MiniKube.Cli.Bench.E2e;

/// <summary>
/// When the benchmark's watch first saw each pod exist, get a node and run, as offsets from the Deployment's create.
/// Fed one watch event at a time from a single reader, so it needs no locks; the summaries are read after it ends.
/// </summary>
public sealed class PodTimeline
{
    private readonly Dictionary<string, TimeSpan> _created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _scheduled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _running = new(StringComparer.Ordinal);

    public int Created => _created.Count;

    public int Scheduled => _scheduled.Count;

    public int Running => _running.Count;

    /// <summary>Records the first time <paramref name="pod"/> was seen at all, with a node, and Running. A deleted pod
    /// keeps its times: the benchmark creates and never deletes, so a deletion is another component's doing.</summary>
    public void Observe(string pod, string? nodeName, string? phase, TimeSpan at)
    {
        _created.TryAdd(pod, at);
        if (!string.IsNullOrEmpty(nodeName))
        {
            _scheduled.TryAdd(pod, at);
        }

        if (phase == "Running")
        {
            _running.TryAdd(pod, at);
        }
    }

    /// <summary>When the watch saw the first pod bound, or null before any.</summary>
    public TimeSpan? FirstScheduled => _scheduled.Count == 0 ? null : _scheduled.Values.Min();

    public TimeSpan? AllCreated(int replicas) => Last(_created, replicas);

    public TimeSpan? AllScheduled(int replicas) => Last(_scheduled, replicas);

    public TimeSpan? AllRunning(int replicas) => Last(_running, replicas);

    /// <summary>Pods bound per second between the first and the last binding the watch saw (null with fewer than two).</summary>
    public double? SchedulingThroughput()
    {
        if (_scheduled.Count < 2)
        {
            return null;
        }

        var first = _scheduled.Values.Min();
        var last = _scheduled.Values.Max();
        var window = last - first;
        // Bindings that all arrive in one watch read are as good as instant; a millisecond keeps the rate finite.
        return _scheduled.Count / Math.Max(window.TotalSeconds, 0.001);
    }

    /// <summary>The most bindings seen within any one second (a window sliding over the binding times).</summary>
    public int PeakBindingsPerSecond()
    {
        var times = _scheduled.Values.Order().ToList();
        var best = 0;
        var start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= TimeSpan.FromSeconds(1))
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    /// <summary>
    /// Bindings in each whole second from the first binding on, as scheduler_perf's throughput collector samples them;
    /// the last, partial second is left out unless it is the only one (it would drag the percentiles down).
    /// </summary>
    public IReadOnlyList<int> BindingsPerSecond()
    {
        if (_scheduled.Count == 0)
        {
            return [];
        }

        var first = _scheduled.Values.Min();
        var last = _scheduled.Values.Max();
        var seconds = (int)Math.Floor((last - first).TotalSeconds);
        var counts = new int[seconds + 1];
        foreach (var at in _scheduled.Values)
        {
            counts[(int)Math.Floor((at - first).TotalSeconds)]++;
        }

        return seconds == 0 ? counts : counts[..seconds];
    }

    /// <summary>The time of the <paramref name="replicas"/>-th pod to reach the state, or null if fewer did.</summary>
    private static TimeSpan? Last(Dictionary<string, TimeSpan> times, int replicas) =>
        times.Count >= replicas && replicas > 0 ? times.Values.Order().ElementAt(replicas - 1) : null;
}
