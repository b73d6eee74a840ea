namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeSpec.</summary>
public sealed class NodeSpec
{
    public string? PodCIDR { get; set; }

    public List<string>? PodCIDRs { get; set; }

    public string? ProviderID { get; set; }

    public bool? Unschedulable { get; set; }

    public List<Taint>? Taints { get; set; }

    public string? ExternalID { get; set; }
}
