namespace MiniKube.Api.Apps;

/// <summary>apps/v1 ReplicaSetStatus.</summary>
public sealed class ReplicaSetStatus
{
    public int? Replicas { get; set; }

    public int? FullyLabeledReplicas { get; set; }

    public int? ReadyReplicas { get; set; }

    public int? AvailableReplicas { get; set; }

    public int? TerminatingReplicas { get; set; }

    public long? ObservedGeneration { get; set; }

    public List<ReplicaSetCondition>? Conditions { get; set; }
}
