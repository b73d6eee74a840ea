namespace MiniKube.Api.Core;

/// <summary>core/v1 PodCondition (PodScheduled, Initialized, ContainersReady, Ready, …).</summary>
public sealed class PodCondition
{
    public string? Type { get; set; }

    public long? ObservedGeneration { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? LastProbeTime { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
