namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeSelectorTerm: the requirements are ANDed.</summary>
public sealed class NodeSelectorTerm
{
    public List<NodeSelectorRequirement>? MatchExpressions { get; set; }

    public List<NodeSelectorRequirement>? MatchFields { get; set; }
}
