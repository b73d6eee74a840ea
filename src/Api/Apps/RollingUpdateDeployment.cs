using MiniKube.Api.Meta;

namespace MiniKube.Api.Apps;

/// <summary>apps/v1 RollingUpdateDeployment: a number or a percentage of the desired replicas.</summary>
public sealed class RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; set; }

    public IntOrString? MaxSurge { get; set; }
}
