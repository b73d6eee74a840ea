using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 PodAffinityTerm.</summary>
public sealed class PodAffinityTerm
{
    public LabelSelector? LabelSelector { get; set; }

    public List<string>? Namespaces { get; set; }

    public string? TopologyKey { get; set; }

    public LabelSelector? NamespaceSelector { get; set; }

    public List<string>? MatchLabelKeys { get; set; }

    public List<string>? MismatchLabelKeys { get; set; }
}
