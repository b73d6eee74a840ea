namespace MiniKube.Api.Apps;

/// <summary>apps/v1 DeploymentStrategy; Type is Recreate or RollingUpdate.</summary>
public sealed class DeploymentStrategy
{
    public string? Type { get; set; }

    public RollingUpdateDeployment? RollingUpdate { get; set; }
}
