namespace MiniKube.Api.Core;

/// <summary>core/v1 Sysctl.</summary>
public sealed class Sysctl
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
