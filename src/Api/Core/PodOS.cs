namespace MiniKube.Api.Core;

/// <summary>core/v1 PodOS (linux or windows).</summary>
public sealed class PodOS
{
    public string? Name { get; set; }
}
