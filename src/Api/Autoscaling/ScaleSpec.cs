namespace MiniKube.Api.Autoscaling;

/// <summary>autoscaling/v1 ScaleSpec.</summary>
public sealed class ScaleSpec
{
    public int? Replicas { get; set; }
}
