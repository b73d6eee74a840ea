using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ConfigMapList.</summary>
public sealed class ConfigMapList : IKubernetesList<ConfigMap>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<ConfigMap> Items { get; set; } = [];
}
