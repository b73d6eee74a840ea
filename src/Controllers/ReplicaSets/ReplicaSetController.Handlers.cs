using MiniKube.Api.Core;
using MiniKube.Api.Selectors;
using MiniKube.Api.Serialization;
using MiniKube.Client.Cache;
using MiniKube.Controllers.Common;
using Rs = MiniKube.Api.Apps.ReplicaSet;

namespace MiniKube.Controllers.ReplicaSets;

/// <summary>The informer event handlers: which ReplicaSet a pod event concerns, and what it tells the expectations.</summary>
public sealed partial class ReplicaSetController
{
    private void Enqueue(Rs rs) => Queue.Add(ObjectKeys.KeyOf(rs));

    private void UpdateReplicaSet(Rs old, Rs cur)
    {
        if (old.Metadata?.Uid != cur.Metadata?.Uid)
        {
            DeleteReplicaSet(old);
        }

        Enqueue(cur);
    }

    private void DeleteReplicaSet(Rs rs)
    {
        var key = ObjectKeys.KeyOf(rs);
        Expectations.DeleteExpectations(key);
        Queue.Add(key);
    }

    private void AddPod(Pod pod)
    {
        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            // A pod seen first while being deleted (after a relist): count it as gone, as k8s does.
            DeletePod(pod);
            return;
        }

        if (ControllerRefs.GetControllerOf(pod.Metadata) is { } controllerRef)
        {
            if (ResolveControllerRef(pod.Metadata?.Namespace, controllerRef) is { } rs)
            {
                var key = ObjectKeys.KeyOf(rs);
                Expectations.CreationObserved(key);
                Queue.Add(key);
            }

            return;
        }

        // An orphan: every matching ReplicaSet may want to adopt it.
        foreach (var rs in ReplicaSetsMatching(pod))
        {
            Enqueue(rs);
        }
    }

    private void UpdatePod(Pod old, Pod cur)
    {
        if (old.Metadata?.ResourceVersion == cur.Metadata?.ResourceVersion)
        {
            return;
        }

        var labelsChanged = !SameLabels(old.Metadata?.Labels, cur.Metadata?.Labels);
        if (cur.Metadata?.DeletionTimestamp is not null)
        {
            // Graceful deletion: the pod goes away later, but the ReplicaSet may replace it now.
            DeletePod(cur);
            if (labelsChanged)
            {
                DeletePod(old);
            }

            return;
        }

        var curRef = ControllerRefs.GetControllerOf(cur.Metadata);
        var oldRef = ControllerRefs.GetControllerOf(old.Metadata);
        if (oldRef is not null && oldRef.Uid != curRef?.Uid && ResolveControllerRef(old.Metadata?.Namespace, oldRef) is { } oldRs)
        {
            Enqueue(oldRs);
        }

        if (curRef is not null)
        {
            if (ResolveControllerRef(cur.Metadata?.Namespace, curRef) is { } rs)
            {
                Enqueue(rs);
                // Becoming ready starts the minReadySeconds clock: look again once it has run.
                if (!PodUtil.IsReady(old) && PodUtil.IsReady(cur) && (rs.Spec?.MinReadySeconds ?? 0) > 0)
                {
                    Queue.AddAfter(ObjectKeys.KeyOf(rs), TimeSpan.FromSeconds(rs.Spec!.MinReadySeconds!.Value + 1));
                }
            }

            return;
        }

        if (labelsChanged || oldRef is not null)
        {
            foreach (var rs in ReplicaSetsMatching(cur))
            {
                Enqueue(rs);
            }
        }
    }

    private void DeletePod(Pod pod)
    {
        if (ControllerRefs.GetControllerOf(pod.Metadata) is not { } controllerRef
            || ResolveControllerRef(pod.Metadata?.Namespace, controllerRef) is not { } rs)
        {
            return;
        }

        var key = ObjectKeys.KeyOf(rs);
        Expectations.DeletionObserved(key, ObjectKeys.KeyOf(pod));
        Queue.Add(key);
    }

    /// <summary>The cached ReplicaSet a controller reference names, if it is a ReplicaSet with that uid.</summary>
    private Rs? ResolveControllerRef(string? ns, Api.Meta.OwnerReference controllerRef)
    {
        if (controllerRef.Kind != Kind || controllerRef.Name is null)
        {
            return null;
        }

        var rs = _rsLister.Get(ns, controllerRef.Name);
        return rs?.Metadata?.Uid == controllerRef.Uid ? rs : null;
    }

    private IEnumerable<Rs> ReplicaSetsMatching(Pod pod)
    {
        if (pod.Metadata?.Labels is not { Count: > 0 } labels)
        {
            return [];
        }

        return _rsLister.List(pod.Metadata.Namespace ?? "").Where(rs =>
        {
            var selector = Selector.FromLabelSelector(rs.Spec?.Selector is null ? null : ApiJson.ToNode(rs.Spec.Selector));
            return !selector.Empty && selector.Matches(labels);
        });
    }

    private static bool SameLabels(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));
}
