namespace MiniKube.Api.Core;

/// <summary>core/v1 SeccompProfile; Type is RuntimeDefault, Unconfined or Localhost.</summary>
public sealed class SeccompProfile
{
    public string? Type { get; set; }

    public string? LocalhostProfile { get; set; }
}
