using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ServiceList.</summary>
public sealed class ServiceList : IKubernetesList<Service>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<Service> Items { get; set; } = [];
}
