using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 Pod.</summary>
public sealed class Pod : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public PodSpec? Spec { get; set; }

    public PodStatus? Status { get; set; }
}
