namespace MiniKube.Api.Core;

/// <summary>core/v1 PodDNSConfig.</summary>
public sealed class PodDNSConfig
{
    public List<string>? Nameservers { get; set; }

    public List<string>? Searches { get; set; }

    public List<PodDNSConfigOption>? Options { get; set; }
}
