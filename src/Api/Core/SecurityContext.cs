namespace MiniKube.Api.Core;

/// <summary>core/v1 SecurityContext (per container).</summary>
public sealed class SecurityContext
{
    public Capabilities? Capabilities { get; set; }

    public bool? Privileged { get; set; }

    public SELinuxOptions? SeLinuxOptions { get; set; }

    public WindowsSecurityContextOptions? WindowsOptions { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public bool? RunAsNonRoot { get; set; }

    public bool? ReadOnlyRootFilesystem { get; set; }

    public bool? AllowPrivilegeEscalation { get; set; }

    public string? ProcMount { get; set; }

    public SeccompProfile? SeccompProfile { get; set; }

    public AppArmorProfile? AppArmorProfile { get; set; }
}
