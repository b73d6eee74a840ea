using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 Namespace (cluster-scoped).</summary>
public sealed class Namespace : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public NamespaceSpec? Spec { get; set; }

    public NamespaceStatus? Status { get; set; }
}
