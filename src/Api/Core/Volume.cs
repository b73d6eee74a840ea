namespace MiniKube.Api.Core;

/// <summary>core/v1 Volume: a name and one source.</summary>
public sealed class Volume
{
    public string? Name { get; set; }

    public HostPathVolumeSource? HostPath { get; set; }

    public EmptyDirVolumeSource? EmptyDir { get; set; }

    public SecretVolumeSource? Secret { get; set; }

    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }

    public DownwardAPIVolumeSource? DownwardAPI { get; set; }

    public ConfigMapVolumeSource? ConfigMap { get; set; }

    public ProjectedVolumeSource? Projected { get; set; }
}
