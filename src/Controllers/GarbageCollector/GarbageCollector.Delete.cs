using System.Text.Json.Nodes;
using MiniKube.Api.Meta;
using MiniKube.Api.Resources;
using MiniKube.Client;

namespace MiniKube.Controllers.GarbageCollector;

/// <summary>The attemptToDelete worker (k8s' attemptToDeleteItem and processDeletingDependentsItem).</summary>
public sealed partial class GarbageCollector
{
    private async Task AttemptToDeleteItemAsync(string uid, CancellationToken cancellationToken)
    {
        GraphNode item;
        List<(string Uid, bool DeletingDependents, bool Blocking)> dependents;
        lock (_graph)
        {
            if (!_uidToNode.TryGetValue(uid, out var node) || !node.Observed)
            {
                return;
            }

            if (node.BeingDeleted && !node.DeletingDependents)
            {
                return;
            }

            item = new GraphNode(uid) { ApiVersion = node.ApiVersion, Kind = node.Kind, Namespace = node.Namespace, Name = node.Name };
            dependents = [.. node.Dependents.Select(d => (d.Uid, d.DeletingDependents,
                d.Owners.Any(o => o.Uid == uid && o.BlockOwnerDeletion == true)))];
        }

        var resource = ResourceOf(item.ApiVersion, item.Kind);
        var latest = await GetIfExistsAsync(resource, item.Namespace, item.Name, cancellationToken).ConfigureAwait(false);
        if (latest is null || Uid(latest) != uid)
        {
            return;
        }

        if (IsDeletingDependents(latest))
        {
            var blocking = dependents.Where(d => d.Blocking).ToList();
            if (blocking.Count == 0)
            {
                await RemoveFinalizerAsync(resource, item.Namespace, item.Name, uid, ForegroundFinalizer, cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var dependent in blocking.Where(d => !d.DeletingDependents))
            {
                AttemptToDelete.Add(dependent.Uid);
            }

            return;
        }

        if (latest["metadata"]?["deletionTimestamp"] is not null)
        {
            return;
        }

        var ownerRefs = (latest["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (ownerRefs.Count == 0)
        {
            return;
        }

        var solid = new List<string>();
        var dangling = new List<string>();
        var waiting = new List<string>();
        foreach (var reference in ownerRefs)
        {
            var ownerUid = (string?)reference["uid"] ?? "";
            var owner = ResourceOf((string?)reference["apiVersion"] ?? "", (string?)reference["kind"] ?? "");
            var found = await GetIfExistsAsync(owner, owner.Namespaced ? item.Namespace : null, (string?)reference["name"] ?? "", cancellationToken).ConfigureAwait(false);
            if (found is null || Uid(found) != ownerUid)
            {
                dangling.Add(ownerUid);
            }
            else if (IsDeletingDependents(found))
            {
                waiting.Add(ownerUid);
            }
            else
            {
                solid.Add(ownerUid);
            }
        }

        if (solid.Count > 0)
        {
            if (dangling.Count + waiting.Count == 0)
            {
                return;
            }

            // Some owner still holds it: only the references to the gone and the foreground-deleting owners go.
            await RemoveOwnerReferencesAsync(resource, item.Namespace, item.Name, uid, [.. dangling, .. waiting], cancellationToken).ConfigureAwait(false);
            return;
        }

        string policy;
        if (waiting.Count > 0 && dependents.Count > 0)
        {
            // Its owner waits for it, and it has dependents of its own: they must go first, so it goes in the foreground too.
            policy = "Foreground";
        }
        else
        {
            var finalizers = Finalizers(latest);
            policy = finalizers.Contains(OrphanFinalizer) ? "Orphan" : finalizers.Contains(ForegroundFinalizer) ? "Foreground" : "Background";
        }

        try
        {
            await _client.DeleteAsync(resource, item.Namespace, item.Name, new DeleteOptions
            {
                ApiVersion = "v1",
                Kind = "DeleteOptions",
                PropagationPolicy = policy,
                Preconditions = new Preconditions { Uid = uid },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone already, or another object by that name now: nothing of this one is left to delete.
        }
    }

    private static ApiResource ResourceOf(string apiVersion, string kind) =>
        ApiResources.FindByKind(apiVersion, kind) ?? throw new InvalidOperationException($"unable to get REST mapping for {apiVersion}/{kind}");

    private async Task<JsonObject?> GetIfExistsAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync(resource, resource.Namespaced ? ns : null, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static string? Uid(JsonObject obj) => (string?)obj["metadata"]?["uid"];

    private static List<string> Finalizers(JsonObject obj) =>
        [.. (obj["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => (string?)f ?? "")];

    private static bool IsDeletingDependents(JsonObject obj) =>
        obj["metadata"]?["deletionTimestamp"] is not null && Finalizers(obj).Contains(ForegroundFinalizer);

    /// <summary>A strategic-merge patch deleting the references to <paramref name="ownerUids"/>, guarded by the object's uid (k8s' deleteOwnerRefStrategicMergePatch).</summary>
    private async Task RemoveOwnerReferencesAsync(ApiResource resource, string? ns, string name, string uid, IEnumerable<string> ownerUids,
        CancellationToken cancellationToken)
    {
        var references = new JsonArray([.. ownerUids.Select(o => (JsonNode)new JsonObject { ["$patch"] = "delete", ["uid"] = o })]);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = references, ["uid"] = uid } };
        try
        {
            await _client.PatchAsync(resource, ns, name, PatchType.StrategicMerge, patch.ToJsonString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    /// <summary>Removes one finalizer by a compare-and-swap update, re-reading on conflict; nothing when the object is gone or is another one.</summary>
    private async Task RemoveFinalizerAsync(ApiResource resource, string? ns, string name, string uid, string finalizer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await GetIfExistsAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
            if (current is null || Uid(current) != uid)
            {
                return;
            }

            var finalizers = Finalizers(current);
            if (!finalizers.Remove(finalizer))
            {
                return;
            }

            current["metadata"]!["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]);
            try
            {
                await _client.UpdateAsync(resource, resource.Namespaced ? ns : null, current, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return;
            }
        }
    }
}
