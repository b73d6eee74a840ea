namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeSelector: the terms are ORed.</summary>
public sealed class NodeSelector
{
    public List<NodeSelectorTerm>? NodeSelectorTerms { get; set; }
}
