namespace MiniKube.Api.Core;

/// <summary>core/v1 PodAffinity.</summary>
public sealed class PodAffinity
{
    public List<PodAffinityTerm>? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }

    public List<WeightedPodAffinityTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }
}
