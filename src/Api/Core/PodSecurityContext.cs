namespace MiniKube.Api.Core;

/// <summary>core/v1 PodSecurityContext.</summary>
public sealed class PodSecurityContext
{
    public SELinuxOptions? SeLinuxOptions { get; set; }

    public WindowsSecurityContextOptions? WindowsOptions { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public bool? RunAsNonRoot { get; set; }

    public List<long>? SupplementalGroups { get; set; }

    public string? SupplementalGroupsPolicy { get; set; }

    public long? FsGroup { get; set; }

    public List<Sysctl>? Sysctls { get; set; }

    public string? FsGroupChangePolicy { get; set; }

    public SeccompProfile? SeccompProfile { get; set; }

    public AppArmorProfile? AppArmorProfile { get; set; }

    public string? SeLinuxChangePolicy { get; set; }
}
