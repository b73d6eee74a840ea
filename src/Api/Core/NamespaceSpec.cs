namespace MiniKube.Api.Core;

/// <summary>core/v1 NamespaceSpec.</summary>
public sealed class NamespaceSpec
{
    public List<string>? Finalizers { get; set; }
}
