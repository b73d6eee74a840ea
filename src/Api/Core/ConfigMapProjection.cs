namespace MiniKube.Api.Core;

/// <summary>core/v1 ConfigMapProjection.</summary>
public sealed class ConfigMapProjection
{
    public string? Name { get; set; }

    public List<KeyToPath>? Items { get; set; }

    public bool? Optional { get; set; }
}
