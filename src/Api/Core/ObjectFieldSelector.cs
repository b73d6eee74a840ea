namespace MiniKube.Api.Core;

/// <summary>core/v1 ObjectFieldSelector.</summary>
public sealed class ObjectFieldSelector
{
    public string? ApiVersion { get; set; }

    public string? FieldPath { get; set; }
}
