namespace MiniKube.Api.Core;

/// <summary>core/v1 WindowsSecurityContextOptions.</summary>
public sealed class WindowsSecurityContextOptions
{
    public string? GmsaCredentialSpecName { get; set; }

    public string? GmsaCredentialSpec { get; set; }

    public string? RunAsUserName { get; set; }

    public bool? HostProcess { get; set; }
}
