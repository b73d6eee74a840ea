namespace MiniKube.Api.Autoscaling;

/// <summary>autoscaling/v1 ScaleStatus; Selector is the label selector in its string form.</summary>
public sealed class ScaleStatus
{
    public int? Replicas { get; set; }

    public string? Selector { get; set; }
}
