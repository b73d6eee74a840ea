using MiniKube.Api.Apps;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>progress.go: the Progressing condition against progressDeadlineSeconds, and the requeue that notices a
/// deadline passing when nothing else changes.</summary>
public sealed partial class DeploymentController
{
    private async Task SyncRolloutStatusAsync(IReadOnlyList<ReplicaSet?> allRss, ReplicaSet? newRs, DeploymentObject d, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var newStatus = RolloutStatus(allRss, newRs, d, now);
        if (DeploymentUtil.StatusEquals(d.Status, newStatus))
        {
            var after = RequeueStuckDeploymentAfter(d, newStatus, now);
            if (after == TimeSpan.Zero)
            {
                EnqueueRateLimited(d);
            }
            else if (after > TimeSpan.Zero)
            {
                // A second more, so that the deadline has surely passed when we look again.
                EnqueueAfter(d, after + TimeSpan.FromSeconds(1));
            }

            return;
        }

        d.Status = newStatus;
        await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>syncRolloutStatus's computation: the status with Progressing set to NewReplicaSetAvailable once
    /// complete, ReplicaSetUpdated while pods move, ProgressDeadlineExceeded when they stopped moving too long.</summary>
    public static DeploymentStatus RolloutStatus(IReadOnlyList<ReplicaSet?> allRss, ReplicaSet? newRs, DeploymentObject d, DateTimeOffset now)
    {
        var newStatus = DeploymentUtil.CalculateStatus(allRss, newRs, d, now);
        if (!DeploymentUtil.HasProgressDeadline(d))
        {
            DeploymentConditions.Remove(newStatus, DeploymentConditions.Progressing);
        }

        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        var isCompleteDeployment = newStatus.Replicas == newStatus.UpdatedReplicas && current?.Reason == DeploymentConditions.NewRSAvailableReason;
        if (DeploymentUtil.HasProgressDeadline(d) && !isCompleteDeployment)
        {
            var name = d.Metadata?.Name;
            if (DeploymentUtil.DeploymentComplete(d, newStatus))
            {
                var message = newRs is null ? $"Deployment \"{name}\" has successfully progressed." : $"ReplicaSet \"{newRs.Metadata?.Name}\" has successfully progressed.";
                DeploymentConditions.Set(newStatus, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                    DeploymentConditions.NewRSAvailableReason, message, now));
            }
            else if (DeploymentUtil.DeploymentProgressing(d, newStatus))
            {
                var message = newRs is null ? $"Deployment \"{name}\" is progressing." : $"ReplicaSet \"{newRs.Metadata?.Name}\" is progressing.";
                var condition = DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                    DeploymentConditions.ReplicaSetUpdatedReason, message, now);
                if (current is not null)
                {
                    // Progress refreshes lastUpdateTime (the deadline counts from it) even when the reason stays.
                    if (current.Status == DeploymentConditions.True)
                    {
                        condition.LastTransitionTime = current.LastTransitionTime;
                    }

                    DeploymentConditions.Remove(newStatus, DeploymentConditions.Progressing);
                }

                DeploymentConditions.Set(newStatus, condition);
            }
            else if (DeploymentUtil.DeploymentTimedOut(d, newStatus, now))
            {
                var message = newRs is null ? $"Deployment \"{name}\" has timed out progressing." : $"ReplicaSet \"{newRs.Metadata?.Name}\" has timed out progressing.";
                DeploymentConditions.Set(newStatus, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.False,
                    DeploymentConditions.TimedOutReason, message, now));
            }
        }

        // ReplicaFailure mirrors the new ReplicaSet's ReplicaFailure condition (pods it cannot create).
        var failure = newRs?.Status?.Conditions?.FirstOrDefault(c => c.Type == DeploymentConditions.ReplicaFailure);
        if (failure is not null)
        {
            DeploymentConditions.Set(newStatus, new DeploymentCondition
            {
                Type = DeploymentConditions.ReplicaFailure,
                Status = failure.Status,
                LastUpdateTime = failure.LastTransitionTime,
                LastTransitionTime = failure.LastTransitionTime,
                Reason = failure.Reason,
                Message = failure.Message,
            });
        }
        else
        {
            DeploymentConditions.Remove(newStatus, DeploymentConditions.ReplicaFailure);
        }

        return newStatus;
    }

    /// <summary>requeueStuckDeployment: when to look again for a deadline to pass; negative for never, zero for
    /// now (rate-limited).</summary>
    public static TimeSpan RequeueStuckDeploymentAfter(DeploymentObject d, DeploymentStatus newStatus, DateTimeOffset now)
    {
        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (!DeploymentUtil.HasProgressDeadline(d) || current is null)
        {
            return TimeSpan.FromSeconds(-1);
        }

        if (DeploymentUtil.DeploymentComplete(d, newStatus) || current.Reason == DeploymentConditions.TimedOutReason)
        {
            return TimeSpan.FromSeconds(-1);
        }

        var after = (current.LastUpdateTime ?? now) + TimeSpan.FromSeconds(d.Spec!.ProgressDeadlineSeconds!.Value) - now;
        return after < TimeSpan.FromSeconds(1) ? TimeSpan.Zero : after;
    }
}
