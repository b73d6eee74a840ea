namespace MiniKube.Api.Apps;

/// <summary>apps/v1 ReplicaSetCondition.</summary>
public sealed class ReplicaSetCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
