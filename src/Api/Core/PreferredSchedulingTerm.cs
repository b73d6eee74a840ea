namespace MiniKube.Api.Core;

/// <summary>core/v1 PreferredSchedulingTerm.</summary>
public sealed class PreferredSchedulingTerm
{
    public int? Weight { get; set; }

    public NodeSelectorTerm? Preference { get; set; }
}
