using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 NamespaceList.</summary>
public sealed class NamespaceList : IKubernetesList<Namespace>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<Namespace> Items { get; set; } = [];
}
