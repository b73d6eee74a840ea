namespace MiniKube.Api.Core;

/// <summary>core/v1 ServiceSpec; Type is ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
public sealed class ServiceSpec
{
    public List<ServicePort>? Ports { get; set; }

    public Dictionary<string, string>? Selector { get; set; }

    public string? ClusterIP { get; set; }

    public List<string>? ClusterIPs { get; set; }

    public string? Type { get; set; }

    public List<string>? ExternalIPs { get; set; }

    public string? SessionAffinity { get; set; }

    public string? LoadBalancerIP { get; set; }

    public List<string>? LoadBalancerSourceRanges { get; set; }

    public string? ExternalName { get; set; }

    public string? ExternalTrafficPolicy { get; set; }

    public int? HealthCheckNodePort { get; set; }

    public bool? PublishNotReadyAddresses { get; set; }

    public SessionAffinityConfig? SessionAffinityConfig { get; set; }

    public List<string>? IpFamilies { get; set; }

    public string? IpFamilyPolicy { get; set; }

    public bool? AllocateLoadBalancerNodePorts { get; set; }

    public string? LoadBalancerClass { get; set; }

    public string? InternalTrafficPolicy { get; set; }

    public string? TrafficDistribution { get; set; }
}
