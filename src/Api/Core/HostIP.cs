namespace MiniKube.Api.Core;

/// <summary>core/v1 HostIP.</summary>
public sealed class HostIP
{
    public string? Ip { get; set; }
}
