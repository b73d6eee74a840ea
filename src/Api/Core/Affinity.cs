namespace MiniKube.Api.Core;

/// <summary>core/v1 Affinity.</summary>
public sealed class Affinity
{
    public NodeAffinity? NodeAffinity { get; set; }

    public PodAffinity? PodAffinity { get; set; }

    public PodAntiAffinity? PodAntiAffinity { get; set; }
}
