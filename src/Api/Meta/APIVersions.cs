namespace MiniKube.Api.Meta;

/// <summary>metav1.APIVersions: /api.</summary>
public sealed class APIVersions : ITypeMeta
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public List<string>? Versions { get; set; }

    public List<ServerAddressByClientCIDR>? ServerAddressByClientCIDRs { get; set; }
}
