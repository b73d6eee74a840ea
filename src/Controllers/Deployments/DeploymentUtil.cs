using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;
using MiniKube.Controllers.Common;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>
/// The pure arithmetic and bookkeeping of Kubernetes' pkg/controller/deployment/util/deployment_util.go, under
/// its names: which ReplicaSet is new, the revision and replicas annotations, maxSurge/maxUnavailable,
/// proportional scaling and the progress predicates. Nothing here talks to the apiserver or mutates its inputs
/// unless its name says so (Set…).
/// </summary>
public static class DeploymentUtil
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    public const string LastAppliedConfigAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    public const string RollingUpdateStrategy = "RollingUpdate";
    public const string RecreateStrategy = "Recreate";

    // Kubernetes caps the revision-history annotation (kube-controller-manager's default).
    private const int MaxRevisionHistoryLengthInChars = 2000;

    public static int Replicas(DeploymentObject d) => d.Spec?.Replicas ?? 1;

    public static int Replicas(ReplicaSet rs) => rs.Spec?.Replicas ?? 0;

    public static bool IsRollingUpdate(DeploymentObject d) => (d.Spec?.Strategy?.Type ?? RollingUpdateStrategy) == RollingUpdateStrategy;

    /// <summary>ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 would deadlock, so unavailable becomes 1.</summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = (maxSurge ?? 0).GetScaledValue(desired, roundUp: true);
        var unavailable = (maxUnavailable ?? 0).GetScaledValue(desired, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    public static int MaxSurge(DeploymentObject d)
    {
        if (!IsRollingUpdate(d))
        {
            return 0;
        }

        var rolling = d.Spec?.Strategy?.RollingUpdate;
        return ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, Replicas(d)).Surge;
    }

    public static int MaxUnavailable(DeploymentObject d)
    {
        if (!IsRollingUpdate(d) || Replicas(d) == 0)
        {
            return 0;
        }

        var rolling = d.Spec?.Strategy?.RollingUpdate;
        var unavailable = ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, Replicas(d)).Unavailable;
        return Math.Min(unavailable, Replicas(d));
    }

    /// <summary>The revision annotation as a number; 0 when absent or unparsable.</summary>
    public static long Revision(IKubernetesObject obj) =>
        obj.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true
        && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    public static long MaxRevision(IEnumerable<ReplicaSet> replicaSets) => replicaSets.Select(rs => Revision(rs)).DefaultIfEmpty(0).Max();

    /// <summary>EqualIgnoreHash: the templates are equal once the pod-template-hash label is ignored.</summary>
    public static bool EqualIgnoreHash(PodTemplateSpec? a, PodTemplateSpec? b) =>
        JsonNode.DeepEquals(WithoutHashLabel(a), WithoutHashLabel(b));

    private static JsonNode? WithoutHashLabel(PodTemplateSpec? template)
    {
        if (template is null)
        {
            return null;
        }

        var node = ApiJson.ToNode(template);
        if (node["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(PodTemplateHash.LabelKey);
            if (labels.Count == 0)
            {
                node["metadata"]!.AsObject().Remove("labels");
            }
        }

        return PodTemplateHash.Canonical(node);
    }

    /// <summary>ReplicaSetsByCreationTimestamp: oldest first, ties by name.</summary>
    public static List<ReplicaSet> ByCreationTimestamp(IEnumerable<ReplicaSet> replicaSets) =>
        [.. replicaSets.OrderBy(rs => rs.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue).ThenBy(rs => rs.Metadata?.Name, StringComparer.Ordinal)];

    /// <summary>ReplicaSetsByRevision: lowest revision first, ties by creation time.</summary>
    public static List<ReplicaSet> ByRevision(IEnumerable<ReplicaSet> replicaSets) =>
        [.. ByCreationTimestamp(replicaSets).OrderBy(rs => Revision(rs))];

    /// <summary>ReplicaSetsBySizeNewer: largest first, then newest first (where proportional scaling adds).</summary>
    public static List<ReplicaSet> BySizeNewer(IEnumerable<ReplicaSet> replicaSets) =>
        [.. ByCreationTimestamp(replicaSets).AsEnumerable().Reverse().OrderByDescending(Replicas)];

    /// <summary>ReplicaSetsBySizeOlder: largest first, then oldest first (where proportional scaling removes).</summary>
    public static List<ReplicaSet> BySizeOlder(IEnumerable<ReplicaSet> replicaSets) =>
        [.. ByCreationTimestamp(replicaSets).OrderByDescending(Replicas)];

    /// <summary>FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (ignoring the hash
    /// label); a rollback to an old template therefore finds the old ReplicaSet again.</summary>
    public static ReplicaSet? FindNewReplicaSet(DeploymentObject d, IEnumerable<ReplicaSet> replicaSets) =>
        ByCreationTimestamp(replicaSets).FirstOrDefault(rs => EqualIgnoreHash(rs.Spec?.Template, d.Spec?.Template));

    /// <summary>FindOldReplicaSets: (those with replicas, all) of the ReplicaSets other than the new one.</summary>
    public static (List<ReplicaSet> WithReplicas, List<ReplicaSet> All) FindOldReplicaSets(DeploymentObject d, IEnumerable<ReplicaSet> replicaSets)
    {
        var list = replicaSets.ToList();
        var newRs = FindNewReplicaSet(d, list);
        var all = list.Where(rs => newRs is null || rs.Metadata?.Uid != newRs.Metadata?.Uid).ToList();
        return ([.. all.Where(rs => Replicas(rs) != 0)], all);
    }

    public static List<ReplicaSet> FilterActive(IEnumerable<ReplicaSet?> replicaSets) =>
        [.. replicaSets.Where(rs => rs is not null && Replicas(rs) > 0).Select(rs => rs!)];

    /// <summary>FindActiveOrLatest: the only ReplicaSet with replicas; with none, the new or else the newest old one;
    /// with several (a rollout is under way), null.</summary>
    public static ReplicaSet? FindActiveOrLatest(ReplicaSet? newRs, IReadOnlyList<ReplicaSet> oldRss)
    {
        if (newRs is null && oldRss.Count == 0)
        {
            return null;
        }

        var newestFirst = ByCreationTimestamp(oldRss);
        newestFirst.Reverse();
        var active = FilterActive([.. newestFirst, newRs]);
        return active.Count switch
        {
            0 => newRs ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    public static int ReplicaCount(IEnumerable<ReplicaSet?> rss) => rss.Sum(rs => rs is null ? 0 : Replicas(rs));

    public static int ActualReplicaCount(IEnumerable<ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int ReadyReplicaCount(IEnumerable<ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicaCount(IEnumerable<ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    /// <summary>NewRSNewReplicas: how big the new ReplicaSet may be now — up to replicas + maxSurge pods in all
    /// for a rolling update, everything at once for Recreate.</summary>
    /// <remarks>Upstream counts only the ReplicaSets' spec.replicas, so for the moment between an old ReplicaSet
    /// being scaled down and its controller deleting the pod, a user watching pods sees more than replicas + maxSurge.
    /// Here a ReplicaSet counts as the larger of the pods it wants and the pods its status still reports, so the
    /// new ReplicaSet grows only once the old pods are really going; the ReplicaSet's status update wakes the
    /// Deployment again.</remarks>
    public static int NewRSNewReplicas(DeploymentObject d, IEnumerable<ReplicaSet?> allRss, ReplicaSet newRs)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }

        var maxSurge = (d.Spec?.Strategy?.RollingUpdate?.MaxSurge ?? 0).GetScaledValue(Replicas(d), roundUp: true);
        var current = allRss.Sum(rs => rs is null ? 0 : Math.Max(Replicas(rs), rs.Status?.Replicas ?? 0));
        var maxTotal = Replicas(d) + maxSurge;
        if (current >= maxTotal)
        {
            return Replicas(newRs);
        }

        var scaleUp = Math.Min(maxTotal - current, Replicas(d) - Replicas(newRs));
        return Replicas(newRs) + scaleUp;
    }

    /// <summary>IsSaturated: the new ReplicaSet has all the desired replicas and all of them are available.</summary>
    public static bool IsSaturated(DeploymentObject d, ReplicaSet? rs)
    {
        if (rs?.Metadata?.Annotations?.TryGetValue(DesiredReplicasAnnotation, out var text) != true
            || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var desired))
        {
            return false;
        }

        return Replicas(rs) == Replicas(d) && desired == Replicas(d) && (rs.Status?.AvailableReplicas ?? 0) == Replicas(d);
    }

    public static bool TryGetDesiredReplicasAnnotation(ReplicaSet rs, out int desired) =>
        TryGetIntAnnotation(rs, DesiredReplicasAnnotation, out desired);

    public static bool TryGetMaxReplicasAnnotation(ReplicaSet rs, out int max) =>
        TryGetIntAnnotation(rs, MaxReplicasAnnotation, out max);

    private static bool TryGetIntAnnotation(ReplicaSet rs, string key, out int value)
    {
        value = 0;
        return rs.Metadata?.Annotations?.TryGetValue(key, out var text) == true
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    public static bool ReplicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max)
    {
        var annotations = rs.Metadata?.Annotations;
        return annotations is null
            || !annotations.TryGetValue(DesiredReplicasAnnotation, out var d) || d != desired.ToString(CultureInfo.InvariantCulture)
            || !annotations.TryGetValue(MaxReplicasAnnotation, out var m) || m != max.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sets the desired- and max-replicas annotations; true when they changed.</summary>
    public static bool SetReplicasAnnotations(ReplicaSet rs, int desired, int max)
    {
        if (!ReplicasAnnotationsNeedUpdate(rs, desired, max))
        {
            return false;
        }

        rs.Metadata ??= new ObjectMeta();
        rs.Metadata.Annotations ??= [];
        rs.Metadata.Annotations[DesiredReplicasAnnotation] = desired.ToString(CultureInfo.InvariantCulture);
        rs.Metadata.Annotations[MaxReplicasAnnotation] = max.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>SetNewReplicaSetAnnotations: copies the Deployment's own annotations, raises the revision to
    /// <paramref name="newRevision"/> (remembering the previous one in revision-history) and, for a ReplicaSet
    /// being created, sets the replicas annotations. True when anything changed.</summary>
    public static bool SetNewReplicaSetAnnotations(DeploymentObject d, ReplicaSet newRs, string newRevision, bool exists)
    {
        var changed = CopyDeploymentAnnotationsToReplicaSet(d, newRs);
        newRs.Metadata ??= new ObjectMeta();
        newRs.Metadata.Annotations ??= [];
        var annotations = newRs.Metadata.Annotations;
        var hadRevision = annotations.TryGetValue(RevisionAnnotation, out var oldRevision);
        long oldRevisionNumber = 0;
        if (hadRevision && !long.TryParse(oldRevision, NumberStyles.Integer, CultureInfo.InvariantCulture, out oldRevisionNumber))
        {
            if (!string.IsNullOrEmpty(oldRevision))
            {
                return false;
            }

            oldRevisionNumber = 0;
        }

        if (!long.TryParse(newRevision, NumberStyles.Integer, CultureInfo.InvariantCulture, out var newRevisionNumber))
        {
            return false;
        }

        if (oldRevisionNumber < newRevisionNumber)
        {
            annotations[RevisionAnnotation] = newRevision;
            changed = true;
            if (hadRevision)
            {
                var history = annotations.GetValueOrDefault(RevisionHistoryAnnotation, "");
                var entries = history.Length == 0 ? [] : history.Split(',').ToList();
                entries.Add(oldRevision!);
                while (entries.Count > 1 && string.Join(',', entries).Length > MaxRevisionHistoryLengthInChars)
                {
                    entries.RemoveAt(0);
                }

                annotations[RevisionHistoryAnnotation] = string.Join(',', entries);
            }
        }

        if (!exists && SetReplicasAnnotations(newRs, Replicas(d), Replicas(d) + MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    private static bool SkipCopyAnnotation(string key) =>
        key is LastAppliedConfigAnnotation or RevisionAnnotation or RevisionHistoryAnnotation or DesiredReplicasAnnotation or MaxReplicasAnnotation;

    private static bool CopyDeploymentAnnotationsToReplicaSet(DeploymentObject d, ReplicaSet rs)
    {
        var changed = false;
        foreach (var (key, value) in d.Metadata?.Annotations ?? [])
        {
            if (SkipCopyAnnotation(key) || rs.Metadata?.Annotations?.GetValueOrDefault(key) == value)
            {
                continue;
            }

            rs.Metadata ??= new ObjectMeta();
            rs.Metadata.Annotations ??= [];
            rs.Metadata.Annotations[key] = value;
            changed = true;
        }

        return changed;
    }

    /// <summary>SetDeploymentRevision: true when the Deployment's revision annotation changed.</summary>
    public static bool SetDeploymentRevision(DeploymentObject d, string? revision)
    {
        if (revision is null || d.Metadata?.Annotations?.GetValueOrDefault(RevisionAnnotation) == revision)
        {
            return false;
        }

        d.Metadata ??= new ObjectMeta();
        d.Metadata.Annotations ??= [];
        d.Metadata.Annotations[RevisionAnnotation] = revision;
        return true;
    }

    /// <summary>GetProportion: this ReplicaSet's share of a change of the Deployment's size, bounded by what is
    /// left to add (or remove).</summary>
    public static int GetProportion(ReplicaSet? rs, DeploymentObject d, int deploymentReplicasToAdd, int deploymentReplicasAdded)
    {
        if (rs is null || Replicas(rs) == 0 || deploymentReplicasToAdd == 0 || deploymentReplicasToAdd == deploymentReplicasAdded)
        {
            return 0;
        }

        var fraction = GetReplicaSetFraction(rs, d);
        var allowed = deploymentReplicasToAdd - deploymentReplicasAdded;
        return deploymentReplicasToAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    /// <summary>getReplicaSetFraction: the change of this ReplicaSet's size that keeps its share of the
    /// Deployment's (replicas + maxSurge), measured against the max-replicas it was last scaled for.</summary>
    public static int GetReplicaSetFraction(ReplicaSet rs, DeploymentObject d)
    {
        if (Replicas(d) == 0)
        {
            return -Replicas(rs);
        }

        var deploymentReplicas = Replicas(d) + MaxSurge(d);
        if (!TryGetMaxReplicasAnnotation(rs, out var annotated))
        {
            annotated = d.Status?.Replicas ?? 0;
        }

        if (annotated == 0)
        {
            // Go divides by zero into +Inf here; nothing sensible to scale by, so leave the size alone.
            return 0;
        }

        var newSize = (double)Replicas(rs) * deploymentReplicas / annotated;
        return RoundToInt32(newSize) - Replicas(rs);
    }

    /// <summary>k8s.io/utils/integer.RoundToInt32: half away from zero.</summary>
    private static int RoundToInt32(double a) => a < 0 ? (int)(a - 0.5) : (int)(a + 0.5);

    public static bool HasProgressDeadline(DeploymentObject d) =>
        d.Spec?.ProgressDeadlineSeconds is { } seconds && seconds != int.MaxValue;

    public static bool HasRevisionHistoryLimit(DeploymentObject d) =>
        d.Spec?.RevisionHistoryLimit is { } limit && limit != int.MaxValue;

    /// <summary>DeploymentComplete: every desired replica is updated and available, and no old one is left.</summary>
    public static bool DeploymentComplete(DeploymentObject d, DeploymentStatus? status) =>
        (status?.UpdatedReplicas ?? 0) == Replicas(d)
        && (status?.Replicas ?? 0) == Replicas(d)
        && (status?.AvailableReplicas ?? 0) == Replicas(d)
        && (status?.ObservedGeneration ?? 0) >= (d.Metadata?.Generation ?? 0);

    /// <summary>DeploymentProgressing: the new status has more updated, ready or available replicas, or fewer old ones.</summary>
    public static bool DeploymentProgressing(DeploymentObject d, DeploymentStatus newStatus)
    {
        var old = d.Status ?? new DeploymentStatus();
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (newStatus.Replicas ?? 0) - (newStatus.UpdatedReplicas ?? 0);
        return (newStatus.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0)
            || newOld < oldOld
            || (newStatus.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0)
            || (newStatus.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    /// <summary>DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago.</summary>
    public static bool DeploymentTimedOut(DeploymentObject d, DeploymentStatus newStatus, DateTimeOffset now)
    {
        if (!HasProgressDeadline(d))
        {
            return false;
        }

        var condition = DeploymentConditions.Get(newStatus, DeploymentConditions.Progressing);
        if (condition is null || condition.Reason == DeploymentConditions.NewRSAvailableReason)
        {
            return false;
        }

        if (condition.Reason == DeploymentConditions.TimedOutReason)
        {
            return true;
        }

        var from = condition.LastUpdateTime ?? now;
        return from + TimeSpan.FromSeconds(d.Spec!.ProgressDeadlineSeconds!.Value) < now;
    }

    /// <summary>calculateStatus: the Deployment's status as its ReplicaSets report it, with the Available condition
    /// recomputed and the other conditions carried over (copied, never shared with <paramref name="d"/>).</summary>
    public static DeploymentStatus CalculateStatus(IReadOnlyList<ReplicaSet?> allRss, ReplicaSet? newRs, DeploymentObject d, DateTimeOffset now)
    {
        var available = AvailableReplicaCount(allRss);
        var total = ReplicaCount(allRss);
        var status = new DeploymentStatus
        {
            ObservedGeneration = d.Metadata?.Generation,
            Replicas = ActualReplicaCount(allRss),
            UpdatedReplicas = ActualReplicaCount([newRs]),
            ReadyReplicas = ReadyReplicaCount(allRss),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, total - available),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions is { } conditions ? [.. conditions.Select(ControllerRefs.DeepCopy)] : null,
        };
        if (available >= Replicas(d) - MaxUnavailable(d))
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Available, DeploymentConditions.True,
                DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now));
        }
        else
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Available, DeploymentConditions.False,
                DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        }

        return status;
    }

    /// <summary>Whether two statuses are the same as the apiserver would store them.</summary>
    public static bool StatusEquals(DeploymentStatus? a, DeploymentStatus? b) =>
        JsonNode.DeepEquals(a is null ? null : ApiJson.ToNode(a), b is null ? null : ApiJson.ToNode(b));
}
