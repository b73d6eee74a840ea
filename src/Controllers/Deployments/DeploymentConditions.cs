using MiniKube.Api.Apps;

namespace MiniKube.Controllers.Deployments;

/// <summary>The Deployment conditions, their reasons and messages, and how they are set
/// (Kubernetes' deployment/util NewDeploymentCondition, SetDeploymentCondition, …).</summary>
public static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    /// <summary>Available=True: at least replicas − maxUnavailable pods are available.</summary>
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";

    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    public const string NewReplicaSetReason = "NewReplicaSetCreated";
    public const string FoundNewRSReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewRSAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string PausedDeployReason = "DeploymentPaused";
    public const string ResumedDeployReason = "DeploymentResumed";
    public const string FailedRSCreateReason = "ReplicaSetCreateError";

    /// <summary>A condition whose update and transition times are <paramref name="now"/> (to the second, as
    /// metav1.Time is serialized, so that a round trip through the apiserver compares equal).</summary>
    public static DeploymentCondition New(string type, string status, string reason, string message, DateTimeOffset now)
    {
        var seconds = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new DeploymentCondition
        {
            Type = type,
            Status = status,
            LastUpdateTime = seconds,
            LastTransitionTime = seconds,
            Reason = reason,
            Message = message,
        };
    }

    public static DeploymentCondition? Get(DeploymentStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Sets the condition unless one of its type already has the same status and reason; the
    /// transition time is kept when only the reason changes.</summary>
    public static void Set(DeploymentStatus status, DeploymentCondition condition)
    {
        var current = Get(status, condition.Type!);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type != condition.Type), condition];
    }

    public static void Remove(DeploymentStatus status, string type)
    {
        if (status.Conditions is not null)
        {
            status.Conditions = [.. status.Conditions.Where(c => c.Type != type)];
        }
    }
}
