namespace MiniKube.Api.Core;

/// <summary>core/v1 PodAntiAffinity.</summary>
public sealed class PodAntiAffinity
{
    public List<PodAffinityTerm>? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }

    public List<WeightedPodAffinityTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }
}
