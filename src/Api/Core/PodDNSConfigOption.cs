namespace MiniKube.Api.Core;

/// <summary>core/v1 PodDNSConfigOption.</summary>
public sealed class PodDNSConfigOption
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
