using MiniKube.Api.Meta;

namespace MiniKube.Api.Apps;

/// <summary>apps/v1 Deployment.</summary>
public sealed class Deployment : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public DeploymentSpec? Spec { get; set; }

    public DeploymentStatus? Status { get; set; }
}
