namespace MiniKube.NodeAgent.Pods;

/// <summary>
/// One container's crash-loop back-off, as the kubelet's flowcontrol.Backoff keyed by container: the first restart is
/// immediate, then 10 s, doubling up to 5 min; a container that ran for twice the maximum starts over. Not thread-safe.
/// </summary>
public sealed class RestartBackoff(TimeSpan initial, TimeSpan max)
{
    private TimeSpan? _current;
    private DateTimeOffset _lastUpdate;

    public static RestartBackoff Default() => new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    /// <summary>The wait before restarting a container that exited at <paramref name="finishedAt"/> (zero: restart now).</summary>
    public TimeSpan Next(DateTimeOffset finishedAt)
    {
        if (_current is not null && finishedAt - _lastUpdate > 2 * max)
        {
            _current = null;
        }

        TimeSpan delay;
        if (_current is not { } current)
        {
            delay = TimeSpan.Zero;
            _current = initial;
        }
        else
        {
            delay = current;
            _current = current * 2 > max ? max : current * 2;
        }

        _lastUpdate = finishedAt;
        return delay;
    }
}
