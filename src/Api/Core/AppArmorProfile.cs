namespace MiniKube.Api.Core;

/// <summary>core/v1 AppArmorProfile.</summary>
public sealed class AppArmorProfile
{
    public string? Type { get; set; }

    public string? LocalhostProfile { get; set; }
}
