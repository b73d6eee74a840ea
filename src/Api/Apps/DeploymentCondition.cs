namespace MiniKube.Api.Apps;

/// <summary>apps/v1 DeploymentCondition (Available, Progressing, ReplicaFailure).</summary>
public sealed class DeploymentCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? LastUpdateTime { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
