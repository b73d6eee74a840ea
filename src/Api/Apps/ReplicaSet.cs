using MiniKube.Api.Meta;

namespace MiniKube.Api.Apps;

/// <summary>apps/v1 ReplicaSet.</summary>
public sealed class ReplicaSet : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public ReplicaSetSpec? Spec { get; set; }

    public ReplicaSetStatus? Status { get; set; }
}
