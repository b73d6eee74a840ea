using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>recreate.go: every old pod goes first; the new ReplicaSet is created and scaled up only once they are gone.</summary>
public sealed partial class DeploymentController
{
    private async Task RolloutRecreateAsync(DeploymentObject d, List<ReplicaSet> rsList, Dictionary<string, List<Pod>> podMap, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfNotExisted: false, cancellationToken).ConfigureAwait(false);
        List<ReplicaSet?> allRss = [.. oldRss, newRs];

        var scaledDown = false;
        foreach (var rs in DeploymentUtil.FilterActive(oldRss))
        {
            var (scaled, _) = await ScaleReplicaSetAndRecordEventAsync(rs, 0, d, cancellationToken).ConfigureAwait(false);
            scaledDown |= scaled;
        }

        if (scaledDown || OldPodsRunning(newRs, oldRss, podMap))
        {
            // The old ReplicaSets' status and pods tell when they are gone; their changes requeue this Deployment.
            await SyncRolloutStatusAsync(allRss, newRs, d, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (newRs is null)
        {
            (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfNotExisted: true, cancellationToken).ConfigureAwait(false);
            allRss = [.. oldRss, newRs];
        }

        await ScaleReplicaSetAndRecordEventAsync(newRs!, DeploymentUtil.Replicas(d), d, cancellationToken).ConfigureAwait(false);

        if (DeploymentUtil.DeploymentComplete(d, d.Status))
        {
            await CleanupDeploymentAsync(oldRss, d, cancellationToken).ConfigureAwait(false);
        }

        await SyncRolloutStatusAsync(allRss, newRs, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>oldPodsRunning: an old ReplicaSet still reports pods, or a pod of one is not yet Succeeded or Failed.</summary>
    public static bool OldPodsRunning(ReplicaSet? newRs, IEnumerable<ReplicaSet> oldRss, Dictionary<string, List<Pod>> podMap)
    {
        if (DeploymentUtil.ActualReplicaCount(oldRss) > 0)
        {
            return true;
        }

        foreach (var (rsUid, pods) in podMap)
        {
            if (newRs is not null && newRs.Metadata?.Uid == rsUid)
            {
                continue;
            }

            if (pods.Any(p => p.Status?.Phase is not ("Failed" or "Succeeded")))
            {
                return true;
            }
        }

        return false;
    }
}
