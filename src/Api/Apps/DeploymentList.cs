using MiniKube.Api.Meta;

namespace MiniKube.Api.Apps;

/// <summary>apps/v1 DeploymentList.</summary>
public sealed class DeploymentList : IKubernetesList<Deployment>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<Deployment> Items { get; set; } = [];
}
