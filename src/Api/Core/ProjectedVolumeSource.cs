namespace MiniKube.Api.Core;

/// <summary>core/v1 ProjectedVolumeSource (the kube-api-access-… volume of every pod).</summary>
public sealed class ProjectedVolumeSource
{
    public List<VolumeProjection>? Sources { get; set; }

    public int? DefaultMode { get; set; }
}
