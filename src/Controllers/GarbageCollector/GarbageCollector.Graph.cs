using MiniKube.Api.Meta;
using MiniKube.Controllers.Common;

namespace MiniKube.Controllers.GarbageCollector;

/// <summary>The graph builder (k8s' GraphBuilder.processGraphChanges): informer events change the graph and queue work.</summary>
public sealed partial class GarbageCollector
{
    /// <summary>The uids the graph holds for <paramref name="uid"/>'s dependents, for tests.</summary>
    public IReadOnlyList<string> DependentsOf(string uid)
    {
        lock (_graph)
        {
            return _uidToNode.TryGetValue(uid, out var node) ? [.. node.Dependents.Select(d => d.Uid)] : [];
        }
    }

    private void ProcessGraphChange(ObjectMeta? metadata, string apiVersion, string kind, bool deleted)
    {
        if (metadata?.Uid is not { } uid)
        {
            return;
        }

        lock (_graph)
        {
            _uidToNode.TryGetValue(uid, out var node);
            if (deleted)
            {
                if (node is not null)
                {
                    RemoveNodeLocked(node);
                }

                return;
            }

            if (node is null)
            {
                node = new GraphNode(uid);
                _uidToNode[uid] = node;
            }

            node.Observed = true;
            node.ApiVersion = apiVersion;
            node.Kind = kind;
            node.Namespace = metadata.Namespace;
            node.Name = metadata.Name ?? "";
            UpdateOwnersLocked(node, metadata.OwnerReferences ?? []);
            node.BeingDeleted = metadata.DeletionTimestamp is not null;
            ProcessTransitionsLocked(node, metadata);
        }
    }

    /// <summary>Caller must hold the graph lock.</summary>
    private void UpdateOwnersLocked(GraphNode node, List<OwnerReference> owners)
    {
        var before = node.Owners.Where(o => o.Uid is not null).Select(o => o.Uid!).ToHashSet();
        var after = owners.Where(o => o.Uid is not null).Select(o => o.Uid!).ToHashSet();
        foreach (var removed in before.Except(after))
        {
            if (_uidToNode.TryGetValue(removed, out var owner))
            {
                owner.Dependents.Remove(node);
                // A foreground owner may have been waiting for just this dependent.
                if (owner.DeletingDependents)
                {
                    AttemptToDelete.Add(owner.Uid);
                }

                DropIfUnusedVirtualLocked(owner);
            }
        }

        var checkOwners = false;
        foreach (var added in after.Except(before))
        {
            if (!_uidToNode.TryGetValue(added, out var owner))
            {
                owner = new GraphNode(added);
                _uidToNode[added] = owner;
            }

            owner.Dependents.Add(node);
            checkOwners |= !owner.Observed;
        }

        // Blocking flags may have changed without the set of owners changing; keep the latest references.
        node.Owners = [.. owners.Select(ControllerRefs.DeepCopy)];
        if (checkOwners && _synced)
        {
            AttemptToDelete.Add(node.Uid);
        }
    }

    /// <summary>Deletion started with the orphan or foregroundDeletion finalizer: queue the work it needs. Caller must hold the graph lock.</summary>
    private void ProcessTransitionsLocked(GraphNode node, ObjectMeta metadata)
    {
        if (metadata.DeletionTimestamp is null)
        {
            return;
        }

        if (ControllerRefs.HasFinalizer(metadata, OrphanFinalizer))
        {
            AttemptToOrphan.Add(node.Uid);
        }

        if (ControllerRefs.HasFinalizer(metadata, ForegroundFinalizer))
        {
            node.DeletingDependents = true;
            foreach (var dependent in node.Dependents)
            {
                AttemptToDelete.Add(dependent.Uid);
            }

            AttemptToDelete.Add(node.Uid);
        }
    }

    /// <summary>The object is gone: its dependents may now be garbage, and a foreground owner may be done waiting. Caller must hold the graph lock.</summary>
    private void RemoveNodeLocked(GraphNode node)
    {
        foreach (var ownerRef in node.Owners)
        {
            if (ownerRef.Uid is not null && _uidToNode.TryGetValue(ownerRef.Uid, out var owner))
            {
                owner.Dependents.Remove(node);
                if (owner.DeletingDependents)
                {
                    AttemptToDelete.Add(owner.Uid);
                }

                DropIfUnusedVirtualLocked(owner);
            }
        }

        foreach (var dependent in node.Dependents)
        {
            AttemptToDelete.Add(dependent.Uid);
        }

        node.Owners = [];
        node.Observed = false;
        node.BeingDeleted = false;
        node.DeletingDependents = false;
        // Dependents still name it: keep it as a virtual node until they let go.
        DropIfUnusedVirtualLocked(node);
    }

    /// <summary>Caller must hold the graph lock.</summary>
    private void DropIfUnusedVirtualLocked(GraphNode node)
    {
        if (!node.Observed && node.Dependents.Count == 0)
        {
            _uidToNode.Remove(node.Uid);
        }
    }
}
