using System.Text.Json.Serialization;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Core;

/// <summary>core/v1 EventSeries.</summary>
public sealed class EventSeries
{
    public int? Count { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }
}
