namespace MiniKube.Api.Core;

/// <summary>core/v1 SELinuxOptions.</summary>
public sealed class SELinuxOptions
{
    public string? User { get; set; }

    public string? Role { get; set; }

    public string? Type { get; set; }

    public string? Level { get; set; }
}
