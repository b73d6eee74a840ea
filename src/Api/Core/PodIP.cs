namespace MiniKube.Api.Core;

/// <summary>core/v1 PodIP.</summary>
public sealed class PodIP
{
    public string? Ip { get; set; }
}
