using System.Security.Cryptography;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Client.Events;

/// <summary>
/// client-go's EventAggregator: once <c>maxEvents</c> events that differ only in message (same source, involved
/// object, type and reason) are seen within <c>maxInterval</c> of each other, each further one becomes the group's
/// single aggregate event, "(combined from similar events): message", which the logger then counts up instead of
/// creating one event per message. Thread-safe.
/// </summary>
public sealed class EventAggregator(int cacheSize, int maxEvents, TimeSpan maxInterval, TimeProvider time)
{
    public const string CombinedPrefix = "(combined from similar events): ";

    private readonly LruCache<string, AggregateRecord> _records = new(cacheSize);
    private readonly Lock _lock = new();

    /// <summary>The event to write (<paramref name="e"/> itself, or the aggregate) and the key the logger counts it under.</summary>
    public (Event Event, string Key) Aggregate(Event e)
    {
        var now = time.GetUtcNow();
        var (aggregateKey, localKey) = EventKeys.ByReason(e);
        lock (_lock)
        {
            if (!_records.TryGet(aggregateKey, out var record) || now - record.LastTimestamp > maxInterval)
            {
                record = new AggregateRecord();
            }

            record.LocalKeys.Add(localKey);
            record.LastTimestamp = now;
            _records.Add(aggregateKey, record);
            if (record.LocalKeys.Count < maxEvents)
            {
                return (e, EventKeys.Event(e));
            }

            // Keep the set from growing past the threshold (client-go pops an arbitrary member too).
            record.LocalKeys.Remove(record.LocalKeys.First());
        }

        var aggregate = new Event
        {
            ApiVersion = e.ApiVersion,
            Kind = e.Kind,
            Metadata = new ObjectMeta
            {
                Name = $"{e.InvolvedObject?.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
                Namespace = e.Metadata?.Namespace,
            },
            InvolvedObject = e.InvolvedObject,
            Type = e.Type,
            Reason = e.Reason,
            Message = CombinedPrefix + e.Message,
            Source = e.Source,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            ReportingComponent = e.ReportingComponent,
            ReportingInstance = e.ReportingInstance,
        };
        return (aggregate, aggregateKey);
    }

    /// <summary>Guarded by the aggregator's lock.</summary>
    private sealed class AggregateRecord
    {
        public HashSet<string> LocalKeys { get; } = [];

        public DateTimeOffset LastTimestamp { get; set; }
    }
}
