using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;

namespace MiniKube.Client.Events;

/// <summary>
/// client-go's eventLogger: remembers the events already written, by correlation key, so that the same event again
/// becomes a patch of the existing Event's count and lastTimestamp rather than a new Event. Thread-safe.
/// </summary>
public sealed class EventLogger(int cacheSize, TimeProvider time)
{
    private readonly LruCache<string, Observation> _observations = new(cacheSize);
    private readonly Lock _lock = new();

    /// <summary>
    /// Counts <paramref name="e"/> under <paramref name="key"/>. The first occurrence comes back unchanged, with no
    /// patch (create it); a repeat comes back as the first one's Event with the count raised, and the strategic
    /// merge patch that makes the stored Event so.
    /// </summary>
    public (Event Event, string? Patch) Observe(Event e, string key)
    {
        lock (_lock)
        {
            if (!_observations.TryGet(key, out var last))
            {
                _observations.Add(key, new Observation(e.Count ?? 1, e.FirstTimestamp ?? time.GetUtcNow(), e.Metadata?.Name ?? ""));
                return (e, null);
            }

            var count = last.Count + 1;
            _observations.Add(key, last with { Count = count });
            var repeated = With(e, last.Name, last.FirstTimestamp, count);
            return (repeated, PatchFor(repeated));
        }
    }

    /// <summary>Takes in what the server answered for the Event written under <paramref name="key"/>. A slower answer
    /// never lowers the count: later repeats may have been counted already.</summary>
    public void UpdateState(string key, Event written)
    {
        lock (_lock)
        {
            var name = written.Metadata?.Name ?? "";
            var count = written.Count ?? 1;
            if (_observations.TryGet(key, out var last) && (last.Name != name || last.Count >= count))
            {
                return;
            }

            _observations.Add(key, new Observation(count, written.FirstTimestamp ?? time.GetUtcNow(), name));
        }
    }

    /// <summary>What client-go's two-way merge patch between the event without count, lastTimestamp and message and
    /// the event comes to: exactly those three fields.</summary>
    private static string PatchFor(Event e) => new JsonObject
    {
        ["count"] = e.Count,
        ["lastTimestamp"] = e.LastTimestamp is { } t ? ApiJson.ToNode(t) : null,
        ["message"] = e.Message,
    }.ToJsonString();

    private static Event With(Event e, string name, DateTimeOffset firstTimestamp, int count) => new()
    {
        ApiVersion = e.ApiVersion,
        Kind = e.Kind,
        Metadata = new ObjectMeta { Name = name, Namespace = e.Metadata?.Namespace },
        InvolvedObject = e.InvolvedObject,
        Reason = e.Reason,
        Message = e.Message,
        Source = e.Source,
        FirstTimestamp = firstTimestamp,
        LastTimestamp = e.LastTimestamp,
        Count = count,
        Type = e.Type,
        ReportingComponent = e.ReportingComponent,
        ReportingInstance = e.ReportingInstance,
    };

    private sealed record Observation(int Count, DateTimeOffset FirstTimestamp, string Name);
}
