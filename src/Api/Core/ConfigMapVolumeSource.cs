namespace MiniKube.Api.Core;

/// <summary>core/v1 ConfigMapVolumeSource.</summary>
public sealed class ConfigMapVolumeSource
{
    public string? Name { get; set; }

    public List<KeyToPath>? Items { get; set; }

    public int? DefaultMode { get; set; }

    public bool? Optional { get; set; }
}
