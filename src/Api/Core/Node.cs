using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 Node (cluster-scoped; stored under /registry/minions).</summary>
public sealed class Node : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public NodeSpec? Spec { get; set; }

    public NodeStatus? Status { get; set; }
}
