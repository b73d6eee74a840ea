namespace MiniKube.Api.Meta;

/// <summary>metav1.APIGroup.</summary>
public sealed class APIGroup : ITypeMeta
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public List<GroupVersionForDiscovery>? Versions { get; set; }

    public GroupVersionForDiscovery? PreferredVersion { get; set; }

    public List<ServerAddressByClientCIDR>? ServerAddressByClientCIDRs { get; set; }
}
