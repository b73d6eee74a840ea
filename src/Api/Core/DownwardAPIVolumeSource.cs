namespace MiniKube.Api.Core;

/// <summary>core/v1 DownwardAPIVolumeSource.</summary>
public sealed class DownwardAPIVolumeSource
{
    public List<DownwardAPIVolumeFile>? Items { get; set; }

    public int? DefaultMode { get; set; }
}
