using MiniKube.Api.Meta;

namespace MiniKube.Api.Coordination;

/// <summary>coordination.k8s.io/v1 Lease: node heartbeats and leader election.</summary>
public sealed class Lease : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public LeaseSpec? Spec { get; set; }
}
