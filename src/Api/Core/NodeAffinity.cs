namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeAffinity.</summary>
public sealed class NodeAffinity
{
    public NodeSelector? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }

    public List<PreferredSchedulingTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }
}
