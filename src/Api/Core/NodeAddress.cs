namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeAddress; Type is Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.</summary>
public sealed class NodeAddress
{
    public string? Type { get; set; }

    public string? Address { get; set; }
}
