using MiniKube.Api.Apps;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>rolling.go: scale the new ReplicaSet up within maxSurge, then the old ones down within maxUnavailable.</summary>
public sealed partial class DeploymentController
{
    private async Task RolloutRollingAsync(DeploymentObject d, List<ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfNotExisted: true, cancellationToken).ConfigureAwait(false);
        List<ReplicaSet?> allRss = [.. oldRss, newRs];

        if (await ReconcileNewReplicaSetAsync(allRss, newRs!, d, cancellationToken).ConfigureAwait(false))
        {
            await SyncRolloutStatusAsync(allRss, newRs, d, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await ReconcileOldReplicaSetsAsync(DeploymentUtil.FilterActive(oldRss), newRs!, d, cancellationToken).ConfigureAwait(false))
        {
            await SyncRolloutStatusAsync(allRss, newRs, d, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (DeploymentUtil.DeploymentComplete(d, d.Status))
        {
            await CleanupDeploymentAsync(oldRss, d, cancellationToken).ConfigureAwait(false);
        }

        await SyncRolloutStatusAsync(allRss, newRs, d, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ReconcileNewReplicaSetAsync(List<ReplicaSet?> allRss, ReplicaSet newRs, DeploymentObject d, CancellationToken cancellationToken)
    {
        var replicas = DeploymentUtil.Replicas(d);
        if (DeploymentUtil.Replicas(newRs) == replicas)
        {
            return false;
        }

        var target = DeploymentUtil.Replicas(newRs) > replicas ? replicas : DeploymentUtil.NewRSNewReplicas(d, allRss, newRs);
        var (scaled, _) = await ScaleReplicaSetAndRecordEventAsync(newRs, target, d, cancellationToken).ConfigureAwait(false);
        return scaled;
    }

    /// <summary>reconcileOldReplicaSets: first the old pods that are not available anyway go (they cost no
    /// availability), then available ones, never below replicas − maxUnavailable available pods.</summary>
    private async Task<bool> ReconcileOldReplicaSetsAsync(List<ReplicaSet> oldRss, ReplicaSet newRs, DeploymentObject d, CancellationToken cancellationToken)
    {
        var oldPods = DeploymentUtil.ReplicaCount(oldRss);
        if (oldPods == 0)
        {
            return false;
        }

        var allPods = oldPods + DeploymentUtil.Replicas(newRs);
        var minAvailable = DeploymentUtil.Replicas(d) - DeploymentUtil.MaxUnavailable(d);
        var newRsUnavailable = DeploymentUtil.Replicas(newRs) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = allPods - minAvailable - newRsUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        var (cleaned, cleanupCount) = await CleanupUnhealthyReplicasAsync(oldRss, d, maxScaledDown, cancellationToken).ConfigureAwait(false);
        var scaledDownCount = await ScaleDownOldReplicaSetsForRollingUpdateAsync([.. cleaned, newRs], cleaned, d, cancellationToken).ConfigureAwait(false);
        return cleanupCount + scaledDownCount > 0;
    }

    /// <summary>cleanupUnhealthyReplicas: scales old ReplicaSets down by their unavailable pods, oldest first, at
    /// most <paramref name="maxCleanupCount"/> in all.</summary>
    private async Task<(List<ReplicaSet> OldRss, int Count)> CleanupUnhealthyReplicasAsync(
        List<ReplicaSet> oldRss, DeploymentObject d, int maxCleanupCount, CancellationToken cancellationToken)
    {
        var sorted = DeploymentUtil.ByCreationTimestamp(oldRss);
        var total = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (total >= maxCleanupCount)
            {
                break;
            }

            var target = sorted[i];
            var replicas = DeploymentUtil.Replicas(target);
            var available = target.Status?.AvailableReplicas ?? 0;
            if (replicas == 0 || replicas == available)
            {
                continue;
            }

            var count = Math.Min(maxCleanupCount - total, replicas - available);
            var newCount = replicas - count;
            if (newCount > replicas)
            {
                throw new InvalidOperationException($"when cleaning up unhealthy replicas, got invalid request to scale down {target.Metadata?.Namespace}/{target.Metadata?.Name} {replicas} -> {newCount}");
            }

            var (_, updated) = await ScaleReplicaSetAndRecordEventAsync(target, newCount, d, cancellationToken).ConfigureAwait(false);
            total += count;
            sorted[i] = updated;
        }

        return (sorted, total);
    }

    /// <summary>scaleDownOldReplicaSetsForRollingUpdate: removes available old pods, oldest ReplicaSet first, while more
    /// than replicas − maxUnavailable pods are available.</summary>
    private async Task<int> ScaleDownOldReplicaSetsForRollingUpdateAsync(List<ReplicaSet> allRss, List<ReplicaSet> oldRss, DeploymentObject d, CancellationToken cancellationToken)
    {
        var minAvailable = DeploymentUtil.Replicas(d) - DeploymentUtil.MaxUnavailable(d);
        var available = DeploymentUtil.AvailableReplicaCount(allRss);
        if (available <= minAvailable)
        {
            return 0;
        }

        var total = 0;
        var totalToScaleDown = available - minAvailable;
        foreach (var target in DeploymentUtil.ByCreationTimestamp(oldRss))
        {
            if (total >= totalToScaleDown)
            {
                break;
            }

            var replicas = DeploymentUtil.Replicas(target);
            if (replicas == 0)
            {
                continue;
            }

            var count = Math.Min(replicas, totalToScaleDown - total);
            await ScaleReplicaSetAndRecordEventAsync(target, replicas - count, d, cancellationToken).ConfigureAwait(false);
            total += count;
        }

        return total;
    }
}
