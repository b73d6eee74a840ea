namespace MiniKube.Api.Core;

/// <summary>core/v1 PortStatus.</summary>
public sealed class PortStatus
{
    public int? Port { get; set; }

    public string? Protocol { get; set; }

    public string? Error { get; set; }
}
