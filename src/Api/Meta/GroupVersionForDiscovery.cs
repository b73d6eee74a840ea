namespace MiniKube.Api.Meta;

/// <summary>metav1.GroupVersionForDiscovery.</summary>
public sealed class GroupVersionForDiscovery
{
    public string? GroupVersion { get; set; }

    public string? Version { get; set; }
}
