namespace MiniKube.Api.Meta;

/// <summary>metav1.LabelSelector: the requirements are ANDed.</summary>
public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }

    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}
