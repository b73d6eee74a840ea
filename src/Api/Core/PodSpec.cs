using MiniKube.Api.Quantities;

namespace MiniKube.Api.Core;

/// <summary>core/v1 PodSpec.</summary>
public sealed class PodSpec
{
    public List<Volume>? Volumes { get; set; }

    public List<Container>? InitContainers { get; set; }

    public List<Container>? Containers { get; set; }

    public string? RestartPolicy { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    public long? ActiveDeadlineSeconds { get; set; }

    public string? DnsPolicy { get; set; }

    public Dictionary<string, string>? NodeSelector { get; set; }

    public string? ServiceAccountName { get; set; }

    /// <summary>Deprecated alias of serviceAccountName, still written by the apiserver.</summary>
    public string? ServiceAccount { get; set; }

    public bool? AutomountServiceAccountToken { get; set; }

    public string? NodeName { get; set; }

    public bool? HostNetwork { get; set; }

    public bool? HostPID { get; set; }

    public bool? HostIPC { get; set; }

    public bool? ShareProcessNamespace { get; set; }

    public PodSecurityContext? SecurityContext { get; set; }

    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    public string? Hostname { get; set; }

    public string? Subdomain { get; set; }

    public Affinity? Affinity { get; set; }

    public string? SchedulerName { get; set; }

    public List<Toleration>? Tolerations { get; set; }

    public List<HostAlias>? HostAliases { get; set; }

    public string? PriorityClassName { get; set; }

    public int? Priority { get; set; }

    public PodDNSConfig? DnsConfig { get; set; }

    public List<PodReadinessGate>? ReadinessGates { get; set; }

    public string? RuntimeClassName { get; set; }

    public bool? EnableServiceLinks { get; set; }

    public string? PreemptionPolicy { get; set; }

    public Dictionary<string, Quantity>? Overhead { get; set; }

    public List<TopologySpreadConstraint>? TopologySpreadConstraints { get; set; }

    public bool? SetHostnameAsFQDN { get; set; }

    public PodOS? Os { get; set; }

    public bool? HostUsers { get; set; }
}
