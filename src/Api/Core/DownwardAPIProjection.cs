namespace MiniKube.Api.Core;

/// <summary>core/v1 DownwardAPIProjection.</summary>
public sealed class DownwardAPIProjection
{
    public List<DownwardAPIVolumeFile>? Items { get; set; }
}
