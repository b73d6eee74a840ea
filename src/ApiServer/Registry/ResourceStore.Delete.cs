using System.Text.Json.Nodes;
using MiniKube.Api.Validation;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Registry;

public sealed partial class ResourceStore
{
    /// <summary>
    /// Deletes an object, or starts its deletion: an object with finalizers (or one the
    /// propagation policy gives a finalizer) and a pod with a grace period get a
    /// deletionTimestamp and stay until the finalizers are gone and the grace period is over.
    /// Returns the object and whether it is gone now.
    /// </summary>
    public async Task<(JsonObject Object, bool Deleted)> DeleteAsync(string? ns, string name, DeleteRequest request, CancellationToken cancellationToken)
    {
        var key = resource.KeyFor(ns, name);
        var preconditions = request.PreconditionUid is null && request.PreconditionResourceVersion is null
            ? null
            : new Preconditions(request.PreconditionUid, request.PreconditionResourceVersion);
        if (request.PropagationPolicy is not (null or "Orphan" or "Foreground" or "Background"))
        {
            throw ApiException.Invalid(resource.Group, resource.Kind, name,
                [new FieldError(FieldError.NotSupportedType, "propagationPolicy", $"Unsupported value: \"{request.PropagationPolicy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]);
        }

        if (request.GracePeriodSeconds is < 0)
        {
            throw ApiException.Invalid(resource.Group, resource.Kind, name,
                [new FieldError(FieldError.InvalidType, "gracePeriodSeconds", $"Invalid value: {request.GracePeriodSeconds}: must be greater than or equal to 0")]);
        }

        if (resource.Group.Length == 0 && resource.Plural == "namespaces" && !request.DryRun)
        {
            namespaces.ForceLiveLookup(name);
        }

        while (true)
        {
            var current = await GetAsync(ns, name, null, cancellationToken).ConfigureAwait(false);
            var grace = GracePeriodFor(current, request);
            var finalizers = PendingFinalizers(current);
            var extra = request.PropagationPolicy switch
            {
                "Orphan" => "orphan",
                "Foreground" => "foregroundDeletion",
                _ => null,
            };
            if (extra is not null && !finalizers.Contains(extra))
            {
                finalizers.Add(extra);
            }

            if (request.DryRun)
            {
                // dryRun=All: say what would happen, write nothing.
                return (current, grace == 0 && finalizers.Count == 0);
            }

            if (grace > 0 || finalizers.Count > 0)
            {
                var pending = await MarkDeletingAsync(ns, name, key, preconditions, grace, finalizers, cancellationToken).ConfigureAwait(false);
                if (pending is not null)
                {
                    return (pending, false);
                }

                // The grace period ran out and no finalizer is left: delete for real below.
            }

            try
            {
                var deleted = await storage.DeleteAsync(key, preconditions, existing =>
                {
                    if (ObjectMetadata.ResourceVersion(existing) != ObjectMetadata.ResourceVersion(current))
                    {
                        throw new StorageException(StorageErrorCode.Conflict, key, "changed while being deleted");
                    }
                }, cancellationToken).ConfigureAwait(false);
                return (deleted, true);
            }
            catch (StorageException e) when (e.Code == StorageErrorCode.Conflict && e.Message == "changed while being deleted")
            {
                // Re-read and decide again: a finalizer may have been added meanwhile.
            }
            catch (StorageException e)
            {
                throw Translate(e, name);
            }
        }
    }

    /// <summary>Sets deletionTimestamp, the grace period and the finalizers; null when the object can go at once.</summary>
    private async Task<JsonObject?> MarkDeletingAsync(string? ns, string name, string key, Preconditions? preconditions, long grace,
        List<string> finalizers, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var goesNow = false;
        JsonObject updated;
        try
        {
            updated = await storage.GuaranteedUpdateAsync(key, preconditions, false, existing =>
            {
                var metadata = ObjectMetadata.Of(existing!);
                var existingGrace = metadata["deletionGracePeriodSeconds"]?.GetValue<long>();
                var ownFinalizers = Finalizers(existing!).Union(finalizers.Where(f => f is "orphan" or "foregroundDeletion")).ToList();
                if (ownFinalizers.Count > 0)
                {
                    metadata["finalizers"] = new JsonArray([.. ownFinalizers.Select(f => (JsonNode)JsonValue.Create(f))]);
                }

                var merged = PendingFinalizers(existing!);
                merged.AddRange(ownFinalizers);
                if (resource.Group.Length == 0 && resource.Plural == "namespaces")
                {
                    existing!["status"] = new JsonObject { ["phase"] = "Terminating" };
                }

                if (metadata["deletionTimestamp"] is null || (existingGrace is { } g && grace < g))
                {
                    metadata["deletionTimestamp"] = Rfc3339(now.AddSeconds(grace));
                    metadata["deletionGracePeriodSeconds"] = grace;
                }

                goesNow = merged.Count == 0 && grace == 0;
                metadata.Remove("resourceVersion");
                return existing!;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw Translate(e, name);
        }

        _ = ns;
        return goesNow ? null : updated;
    }

    /// <summary>Only pods wait for a grace period: the pod's own terminationGracePeriodSeconds unless the request says otherwise; unscheduled or finished pods go at once.</summary>
    private long GracePeriodFor(JsonObject current, DeleteRequest request)
    {
        if (resource.Group.Length != 0 || resource.Plural != "pods")
        {
            return 0;
        }

        if (current["spec"]?["nodeName"] is null || current["status"]?["phase"]?.ToString() is "Succeeded" or "Failed")
        {
            return 0;
        }

        var existing = current["metadata"]?["deletionGracePeriodSeconds"]?.GetValue<long>();
        var requested = request.GracePeriodSeconds ?? current["spec"]?["terminationGracePeriodSeconds"]?.GetValue<long>() ?? 30;
        return existing is { } e ? Math.Min(e, requested) : requested;
    }
}
