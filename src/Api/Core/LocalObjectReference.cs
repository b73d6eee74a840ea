namespace MiniKube.Api.Core;

/// <summary>core/v1 LocalObjectReference.</summary>
public sealed class LocalObjectReference
{
    public string? Name { get; set; }
}
