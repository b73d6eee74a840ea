namespace MiniKube.Api.Meta;

/// <summary>metav1.LabelSelectorRequirement; Operator is In, NotIn, Exists or DoesNotExist.</summary>
public sealed class LabelSelectorRequirement
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public List<string>? Values { get; set; }
}
