namespace MiniKube.Api.Core;

/// <summary>core/v1 VolumeProjection.</summary>
public sealed class VolumeProjection
{
    public SecretProjection? Secret { get; set; }

    public DownwardAPIProjection? DownwardAPI { get; set; }

    public ConfigMapProjection? ConfigMap { get; set; }

    public ServiceAccountTokenProjection? ServiceAccountToken { get; set; }
}
