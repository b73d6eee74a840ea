namespace MiniKube.Api.Apps;

/// <summary>apps/v1 DeploymentStatus.</summary>
public sealed class DeploymentStatus
{
    public long? ObservedGeneration { get; set; }

    public int? Replicas { get; set; }

    public int? UpdatedReplicas { get; set; }

    public int? ReadyReplicas { get; set; }

    public int? AvailableReplicas { get; set; }

    public int? UnavailableReplicas { get; set; }

    public int? TerminatingReplicas { get; set; }

    public List<DeploymentCondition>? Conditions { get; set; }

    public int? CollisionCount { get; set; }
}
