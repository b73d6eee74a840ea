namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeSelectorRequirement; Operator is In, NotIn, Exists, DoesNotExist, Gt or Lt.</summary>
public sealed class NodeSelectorRequirement
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public List<string>? Values { get; set; }
}
