namespace MiniKube.Api.Core;

/// <summary>core/v1 LoadBalancerIngress.</summary>
public sealed class LoadBalancerIngress
{
    public string? Ip { get; set; }

    public string? Hostname { get; set; }

    public string? IpMode { get; set; }

    public List<PortStatus>? Ports { get; set; }
}
