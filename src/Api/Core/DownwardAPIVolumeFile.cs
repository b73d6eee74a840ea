namespace MiniKube.Api.Core;

/// <summary>core/v1 DownwardAPIVolumeFile.</summary>
public sealed class DownwardAPIVolumeFile
{
    public string? Path { get; set; }

    public ObjectFieldSelector? FieldRef { get; set; }

    public ResourceFieldSelector? ResourceFieldRef { get; set; }

    public int? Mode { get; set; }
}
