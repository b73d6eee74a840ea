using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeList.</summary>
public sealed class NodeList : IKubernetesList<Node>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<Node> Items { get; set; } = [];
}
