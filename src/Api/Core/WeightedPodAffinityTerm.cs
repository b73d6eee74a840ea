namespace MiniKube.Api.Core;

/// <summary>core/v1 WeightedPodAffinityTerm.</summary>
public sealed class WeightedPodAffinityTerm
{
    public int? Weight { get; set; }

    public PodAffinityTerm? PodAffinityTerm { get; set; }
}
