namespace MiniKube.Api.Core;

/// <summary>core/v1 GRPCAction.</summary>
public sealed class GRPCAction
{
    public int? Port { get; set; }

    public string? Service { get; set; }
}
