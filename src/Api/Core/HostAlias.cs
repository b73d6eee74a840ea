namespace MiniKube.Api.Core;

/// <summary>core/v1 HostAlias.</summary>
public sealed class HostAlias
{
    public string? Ip { get; set; }

    public List<string>? Hostnames { get; set; }
}
