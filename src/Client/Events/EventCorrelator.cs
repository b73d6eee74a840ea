using MiniKube.Api.Core;

namespace MiniKube.Client.Events;

/// <summary>What to do with one event after correlation.</summary>
/// <param name="Event">The event to write (possibly the aggregate, or the first occurrence with a raised count).</param>
/// <param name="Key">The logger's key for it: <see cref="EventCorrelator.UpdateState"/> takes the server's answer under it,
/// and writes under one key must reach the server in order.</param>
/// <param name="Patch">When set, patch the existing Event with this strategic merge patch instead of creating one.</param>
/// <param name="Skip">True when the spam filter dropped the event: write nothing.</param>
public sealed record EventCorrelateResult(Event Event, string Key, string? Patch, bool Skip);

/// <summary>
/// client-go's EventCorrelator (tools/record/events_cache.go), in front of the recorder's writes: aggregates events
/// that differ only in message, turns repeats into patches of the existing Event's count, and drops what exceeds the
/// per source and object budget. So a ReplicaSet creating 1,000 pods writes about 25 SuccessfulCreate events, not 1,000.
/// </summary>
public sealed class EventCorrelator
{
    public const int DefaultCacheSize = 4096;
    public const int DefaultAggregateMaxEvents = 10;
    public static readonly TimeSpan DefaultAggregateInterval = TimeSpan.FromMinutes(10);
    public const int DefaultSpamBurst = 25;

    /// <summary>One event per five minutes once the burst is spent.</summary>
    public const double DefaultSpamQps = 1.0 / 300;

    private readonly EventAggregator _aggregator;
    private readonly EventLogger _logger;
    private readonly EventSourceObjectSpamFilter _spamFilter;

    public EventCorrelator(TimeProvider? time = null)
        : this(time ?? TimeProvider.System, DefaultCacheSize, DefaultSpamBurst, DefaultSpamQps, DefaultAggregateMaxEvents, DefaultAggregateInterval)
    {
    }

    public EventCorrelator(TimeProvider time, int cacheSize, int spamBurst, double spamQps, int aggregateMaxEvents, TimeSpan aggregateInterval)
    {
        _aggregator = new EventAggregator(cacheSize, aggregateMaxEvents, aggregateInterval, time);
        _logger = new EventLogger(cacheSize, time);
        _spamFilter = new EventSourceObjectSpamFilter(cacheSize, spamBurst, spamQps, time);
    }

    /// <summary>In client-go's order: aggregate, count, then filter; a filtered event still counts, as there.</summary>
    public EventCorrelateResult Correlate(Event e)
    {
        var (aggregated, key) = _aggregator.Aggregate(e);
        var (observed, patch) = _logger.Observe(aggregated, key);
        return _spamFilter.Filter(observed)
            ? new EventCorrelateResult(observed, key, null, Skip: true)
            : new EventCorrelateResult(observed, key, patch, Skip: false);
    }

    /// <summary>Takes in the Event the server stored for a write made under <paramref name="key"/>.</summary>
    public void UpdateState(string key, Event written) => _logger.UpdateState(key, written);
}
