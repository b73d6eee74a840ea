using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Apps;
using MiniKube.Api.Meta;
using MiniKube.Client;
using MiniKube.Client.Events;
using MiniKube.Controllers.Common;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>sync.go: the new ReplicaSet and the revisions, scaling (proportional while a rollout is under way),
/// cleanup of old ReplicaSets, and the status.</summary>
public sealed partial class DeploymentController
{
    /// <summary>syncStatusOnly: a Deployment being deleted only has its status brought up to date.</summary>
    private async Task SyncStatusOnlyAsync(DeploymentObject d, List<ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfNotExisted: false, cancellationToken).ConfigureAwait(false);
        await SyncDeploymentStatusAsync([.. oldRss, newRs], newRs, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>sync: scaling without rollout progress, for a paused Deployment or a change of replicas.</summary>
    private async Task SyncAsync(DeploymentObject d, List<ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfNotExisted: false, cancellationToken).ConfigureAwait(false);
        await ScaleAsync(d, newRs, oldRss, cancellationToken).ConfigureAwait(false);
        if (d.Spec?.Paused == true)
        {
            await CleanupDeploymentAsync(oldRss, d, cancellationToken).ConfigureAwait(false);
        }

        await SyncDeploymentStatusAsync([.. oldRss, newRs], newRs, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>checkPausedConditions: Progressing becomes Unknown/DeploymentPaused when paused and
    /// Unknown/DeploymentResumed when resumed (a timed-out condition is left alone). Returns the Deployment as written.</summary>
    private async Task<DeploymentObject> CheckPausedConditionsAsync(DeploymentObject d, CancellationToken cancellationToken)
    {
        if (!DeploymentUtil.HasProgressDeadline(d))
        {
            return d;
        }

        var condition = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (condition?.Reason == DeploymentConditions.TimedOutReason)
        {
            return d;
        }

        var pausedConditionExists = condition?.Reason == DeploymentConditions.PausedDeployReason;
        var paused = d.Spec?.Paused == true;
        DeploymentCondition update;
        if (paused && !pausedConditionExists)
        {
            update = DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.Unknown,
                DeploymentConditions.PausedDeployReason, "Deployment is paused", _time.GetUtcNow());
        }
        else if (!paused && pausedConditionExists)
        {
            update = DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.Unknown,
                DeploymentConditions.ResumedDeployReason, "Deployment is resumed", _time.GetUtcNow());
        }
        else
        {
            return d;
        }

        d.Status ??= new DeploymentStatus();
        DeploymentConditions.Set(d.Status, update);
        await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
        return d;
    }

    /// <summary>isScalingEvent: some active ReplicaSet was last sized for a different number of replicas than
    /// the Deployment now wants.</summary>
    private async Task<bool> IsScalingEventAsync(DeploymentObject d, List<ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfNotExisted: false, cancellationToken).ConfigureAwait(false);
        foreach (var rs in DeploymentUtil.FilterActive([.. oldRss, newRs]))
        {
            if (DeploymentUtil.TryGetDesiredReplicasAnnotation(rs, out var desired) && desired != DeploymentUtil.Replicas(d))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>getAllReplicaSetsAndSyncRevision: (the new ReplicaSet, created when asked and missing; every old one).</summary>
    private async Task<(ReplicaSet? NewRs, List<ReplicaSet> OldRss)> GetAllReplicaSetsAndSyncRevisionAsync(
        DeploymentObject d, List<ReplicaSet> rsList, bool createIfNotExisted, CancellationToken cancellationToken)
    {
        var (_, allOldRss) = DeploymentUtil.FindOldReplicaSets(d, rsList);
        var newRs = await GetNewReplicaSetAsync(d, rsList, allOldRss, createIfNotExisted, cancellationToken).ConfigureAwait(false);
        return (newRs, allOldRss);
    }

    /// <summary>getNewReplicaSet: brings the existing new ReplicaSet's revision and minReadySeconds up to date, or
    /// creates it (named after the template hash, sized by NewRSNewReplicas), and keeps the Deployment's revision
    /// annotation and Progressing condition in step.</summary>
    private async Task<ReplicaSet?> GetNewReplicaSetAsync(
        DeploymentObject d, List<ReplicaSet> rsList, List<ReplicaSet> oldRss, bool createIfNotExisted, CancellationToken cancellationToken)
    {
        var existing = DeploymentUtil.FindNewReplicaSet(d, rsList);
        var newRevision = (DeploymentUtil.MaxRevision(oldRss) + 1).ToString(CultureInfo.InvariantCulture);
        if (existing is not null)
        {
            var rsCopy = ControllerRefs.DeepCopy(existing);
            var annotationsUpdated = DeploymentUtil.SetNewReplicaSetAnnotations(d, rsCopy, newRevision, exists: true);
            var minReadySecondsNeedsUpdate = (rsCopy.Spec?.MinReadySeconds ?? 0) != (d.Spec?.MinReadySeconds ?? 0);
            if (annotationsUpdated || minReadySecondsNeedsUpdate)
            {
                rsCopy.Spec ??= new ReplicaSetSpec();
                rsCopy.Spec.MinReadySeconds = d.Spec?.MinReadySeconds;
                return await _client.UpdateAsync(rsCopy, cancellationToken).ConfigureAwait(false);
            }

            await SyncDeploymentRevisionAsync(d, rsCopy.Metadata?.Annotations?.GetValueOrDefault(DeploymentUtil.RevisionAnnotation), cancellationToken)
                .ConfigureAwait(false);
            var needsUpdate = false;
            if (DeploymentUtil.HasProgressDeadline(d) && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing) is null)
            {
                d.Status ??= new DeploymentStatus();
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                    DeploymentConditions.FoundNewRSReason, $"Found new replica set \"{rsCopy.Metadata?.Name}\"", _time.GetUtcNow()));
                needsUpdate = true;
            }

            if (needsUpdate)
            {
                await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
            }

            return rsCopy;
        }

        if (!createIfNotExisted)
        {
            return null;
        }

        var template = ControllerRefs.DeepCopy(d.Spec?.Template ?? new Api.Core.PodTemplateSpec());
        var hash = PodTemplateHash.Compute(d.Spec?.Template, d.Status?.CollisionCount);
        template.Metadata ??= new ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? []) { [PodTemplateHash.LabelKey] = hash };
        var selector = ControllerRefs.DeepCopy(d.Spec?.Selector ?? new LabelSelector());
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? []) { [PodTemplateHash.LabelKey] = hash };
        var newRs = new ReplicaSet
        {
            Metadata = new ObjectMeta
            {
                Name = $"{d.Metadata?.Name}-{hash}",
                Namespace = d.Metadata?.Namespace,
                OwnerReferences = [NewControllerRef(d)],
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
            },
            Spec = new ReplicaSetSpec
            {
                Replicas = 0,
                MinReadySeconds = d.Spec?.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
        var newReplicasCount = DeploymentUtil.NewRSNewReplicas(d, [.. oldRss, newRs], newRs);
        newRs.Spec.Replicas = newReplicasCount;
        DeploymentUtil.SetNewReplicaSetAnnotations(d, newRs, newRevision, exists: false);

        ReplicaSet created;
        var alreadyExists = false;
        try
        {
            created = await _client.CreateAsync(newRs, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            alreadyExists = true;
            var found = _replicaSets.Lister.Get(d.Metadata?.Namespace, newRs.Metadata.Name)
                ?? await _client.GetAsync<ReplicaSet>(d.Metadata?.Namespace, newRs.Metadata.Name, cancellationToken).ConfigureAwait(false);
            if (ControllerRefOf(found.Metadata)?.Uid == d.Metadata?.Uid && DeploymentUtil.EqualIgnoreHash(d.Spec?.Template, found.Spec?.Template))
            {
                // Ours, and only missing from the cache this sync looked at.
                created = found;
            }
            else
            {
                // A hash collision: another template already took the name; the next hash includes collisionCount.
                d.Status ??= new DeploymentStatus();
                d.Status.CollisionCount = (d.Status.CollisionCount ?? 0) + 1;
                await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
                throw;
            }
        }
        catch (KubeApiException e) when (!e.IsAlreadyExists && e.Reason != "Forbidden")
        {
            var message = $"Failed to create new replica set \"{newRs.Metadata.Name}\": {e.Message}";
            if (DeploymentUtil.HasProgressDeadline(d))
            {
                d.Status ??= new DeploymentStatus();
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.False,
                    DeploymentConditions.FailedRSCreateReason, message, _time.GetUtcNow()));
                await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
            }

            _ = _events.Event(d, EventRecorder.Warning, DeploymentConditions.FailedRSCreateReason, message);
            throw;
        }

        if (!alreadyExists && newReplicasCount > 0)
        {
            _ = _events.Event(d, EventRecorder.Normal, "ScalingReplicaSet", $"Scaled up replica set {created.Metadata?.Name} from 0 to {newReplicasCount}");
        }

        await SyncDeploymentRevisionAsync(d, newRevision, cancellationToken).ConfigureAwait(false);
        var statusNeedsUpdate = false;
        if (!alreadyExists && DeploymentUtil.HasProgressDeadline(d))
        {
            d.Status ??= new DeploymentStatus();
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                DeploymentConditions.NewReplicaSetReason, $"Created new replica set \"{created.Metadata?.Name}\"", _time.GetUtcNow()));
            statusNeedsUpdate = true;
        }

        if (statusNeedsUpdate)
        {
            await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }

    /// <summary>scale: sizes the ReplicaSets for the Deployment's replicas — all to the only active one; or, mid-rollout,
    /// the difference spread over the active ones in proportion to their size (the largest gets the leftover).</summary>
    private async Task ScaleAsync(DeploymentObject d, ReplicaSet? newRs, List<ReplicaSet> oldRss, CancellationToken cancellationToken)
    {
        var replicas = DeploymentUtil.Replicas(d);
        if (DeploymentUtil.FindActiveOrLatest(newRs, oldRss) is { } activeOrLatest)
        {
            if (DeploymentUtil.Replicas(activeOrLatest) != replicas)
            {
                await ScaleReplicaSetAndRecordEventAsync(activeOrLatest, replicas, d, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (DeploymentUtil.IsSaturated(d, newRs))
        {
            foreach (var old in DeploymentUtil.FilterActive(oldRss))
            {
                await ScaleReplicaSetAndRecordEventAsync(old, 0, d, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!DeploymentUtil.IsRollingUpdate(d))
        {
            return;
        }

        var active = DeploymentUtil.FilterActive([.. oldRss, newRs]);
        var plan = ProportionalScaling.Plan(d, active);
        foreach (var rs in plan.Order)
        {
            await ScaleReplicaSetAsync(rs, plan.NewSizes[rs.Metadata!.Name!], d, plan.Operation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>scaleReplicaSetAndRecordEvent: (scaled, the ReplicaSet as written).</summary>
    private async Task<(bool Scaled, ReplicaSet Rs)> ScaleReplicaSetAndRecordEventAsync(ReplicaSet rs, int newScale, DeploymentObject d, CancellationToken cancellationToken)
    {
        if (DeploymentUtil.Replicas(rs) == newScale)
        {
            return (false, rs);
        }

        var operation = DeploymentUtil.Replicas(rs) < newScale ? "up" : "down";
        return await ScaleReplicaSetAsync(rs, newScale, d, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>scaleReplicaSet: writes the new size and the desired/max-replicas annotations; records ScalingReplicaSet.</summary>
    private async Task<(bool Scaled, ReplicaSet Rs)> ScaleReplicaSetAsync(ReplicaSet rs, int newScale, DeploymentObject d, string operation, CancellationToken cancellationToken)
    {
        var sizeNeedsUpdate = DeploymentUtil.Replicas(rs) != newScale;
        var desired = DeploymentUtil.Replicas(d);
        var max = desired + DeploymentUtil.MaxSurge(d);
        if (!sizeNeedsUpdate && !DeploymentUtil.ReplicasAnnotationsNeedUpdate(rs, desired, max))
        {
            return (false, rs);
        }

        var oldScale = DeploymentUtil.Replicas(rs);
        var copy = ControllerRefs.DeepCopy(rs);
        copy.Spec ??= new ReplicaSetSpec();
        copy.Spec.Replicas = newScale;
        DeploymentUtil.SetReplicasAnnotations(copy, desired, max);
        var updated = await _client.UpdateAsync(copy, cancellationToken).ConfigureAwait(false);
        if (sizeNeedsUpdate)
        {
            _ = _events.Event(d, EventRecorder.Normal, "ScalingReplicaSet", $"Scaled {operation} replica set {updated.Metadata?.Name} from {oldScale} to {newScale}");
        }

        return (sizeNeedsUpdate, updated);
    }

    /// <summary>cleanupDeployment: deletes the oldest ReplicaSets beyond revisionHistoryLimit, only those that have
    /// no pods left and whose controller has seen their last change.</summary>
    private async Task CleanupDeploymentAsync(List<ReplicaSet> oldRss, DeploymentObject d, CancellationToken cancellationToken)
    {
        if (!DeploymentUtil.HasRevisionHistoryLimit(d))
        {
            return;
        }

        foreach (var rs in RevisionHistory.ToDelete(oldRss, d.Spec!.RevisionHistoryLimit!.Value))
        {
            try
            {
                await _client.DeleteAsync<ReplicaSet>(rs.Metadata?.Namespace, rs.Metadata?.Name ?? "", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // Somebody else deleted it: what we wanted.
            }
        }
    }

    /// <summary>syncDeploymentStatus: writes the status computed from the ReplicaSets when it differs.</summary>
    private async Task SyncDeploymentStatusAsync(IReadOnlyList<ReplicaSet?> allRss, ReplicaSet? newRs, DeploymentObject d, CancellationToken cancellationToken)
    {
        var newStatus = DeploymentUtil.CalculateStatus(allRss, newRs, d, _time.GetUtcNow());
        if (DeploymentUtil.StatusEquals(d.Status, newStatus))
        {
            return;
        }

        d.Status = newStatus;
        await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes d's status; d (this sync's own copy) takes the new resourceVersion so later writes of the same
    /// sync do not conflict with this one.</summary>
    private async Task UpdateStatusAsync(DeploymentObject d, CancellationToken cancellationToken)
    {
        var written = await _client.UpdateStatusAsync(ControllerRefs.DeepCopy(d), cancellationToken).ConfigureAwait(false);
        d.Metadata!.ResourceVersion = written.Metadata?.ResourceVersion;
    }

    /// <summary>SetDeploymentRevision, written at once: the apiserver keeps metadata out of status updates (where
    /// Kubernetes' deployment status strategy lets annotations through), so the annotation goes in a merge patch of
    /// the Deployment itself, which leaves its spec and generation alone. True when the annotation changed.</summary>
    private async Task<bool> SyncDeploymentRevisionAsync(DeploymentObject d, string? revision, CancellationToken cancellationToken)
    {
        if (!DeploymentUtil.SetDeploymentRevision(d, revision))
        {
            return false;
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = d.Metadata?.ResourceVersion,
                ["annotations"] = new JsonObject { [DeploymentUtil.RevisionAnnotation] = revision },
            },
        };
        var written = await _client.PatchAsync<DeploymentObject>(d.Metadata?.Namespace, d.Metadata?.Name ?? "", PatchType.Merge, patch.ToJsonString(),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        d.Metadata!.ResourceVersion = written.Metadata?.ResourceVersion;
        return true;
    }
}
