namespace MiniKube.Api.Core;

/// <summary>core/v1 ObjectReference.</summary>
public sealed class ObjectReference
{
    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public string? ApiVersion { get; set; }

    public string? ResourceVersion { get; set; }

    public string? FieldPath { get; set; }
}
