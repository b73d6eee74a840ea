using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 EventList.</summary>
public sealed class EventList : IKubernetesList<Event>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<Event> Items { get; set; } = [];
}
