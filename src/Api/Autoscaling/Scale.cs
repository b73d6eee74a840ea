using MiniKube.Api.Meta;

namespace MiniKube.Api.Autoscaling;

/// <summary>autoscaling/v1 Scale: the scale subresource of deployments and replicasets.</summary>
public sealed class Scale : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public ScaleSpec? Spec { get; set; }

    public ScaleStatus? Status { get; set; }
}
