namespace MiniKube.Api.Core;

/// <summary>core/v1 ResourceClaim.</summary>
public sealed class ResourceClaim
{
    public string? Name { get; set; }

    public string? Request { get; set; }
}
