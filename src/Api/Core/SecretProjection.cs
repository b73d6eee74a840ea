namespace MiniKube.Api.Core;

/// <summary>core/v1 SecretProjection.</summary>
public sealed class SecretProjection
{
    public string? Name { get; set; }

    public List<KeyToPath>? Items { get; set; }

    public bool? Optional { get; set; }
}
