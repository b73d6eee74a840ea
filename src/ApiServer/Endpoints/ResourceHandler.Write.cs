using System.Text.Json.Nodes;
using MiniKube.Api.Patching;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Endpoints;

public sealed partial class ResourceHandler
{
    private static async Task CreateAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var body = RequestBody.ParseObject(await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false),
            context.Request.ContentType ?? "");
        var created = await store.CreateAsync(info.Namespace, body, WriteOptionsOf(context), context.RequestAborted).ConfigureAwait(false);
        await Responses.WriteAsync(context, 201, created).ConfigureAwait(false);
    }

    private static async Task UpdateAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var body = RequestBody.ParseObject(await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false),
            context.Request.ContentType ?? "");
        var kind = info.Subresource == "status" ? UpdateKind.Status : UpdateKind.Main;
        var (obj, created) = await store.UpdateAsync(info.Namespace, info.Name!, kind, _ => body.DeepClone().AsObject(),
            WriteOptionsOf(context), context.RequestAborted).ConfigureAwait(false);
        await Responses.WriteAsync(context, created ? 201 : 200, obj).ConfigureAwait(false);
    }

    private static async Task PatchAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var contentType = MediaTypes.Bare(context.Request.ContentType);
        var bytes = await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var patch = RequestBody.Parse(bytes, contentType);
        var kind = info.Subresource == "status" ? UpdateKind.Status : UpdateKind.Main;
        var options = WriteOptionsOf(context);
        var resource = store.Resource;
        var (obj, created) = await store.UpdateAsync(info.Namespace, info.Name!, kind, current => ApplyPatch(resource, info.Name!, current, patch, contentType),
            options, context.RequestAborted, createIfMissing: contentType == MediaTypes.ApplyPatch).ConfigureAwait(false);
        await Responses.WriteAsync(context, created ? 201 : 200, obj).ConfigureAwait(false);
    }

    /// <summary>The object a patch of the given type makes of the current one (null: it does not exist yet).</summary>
    internal static JsonObject ApplyPatch(RestResource resource, string name, JsonObject? current, JsonNode patch, string contentType)
    {
        if (current is null)
        {
            // Only server-side apply creates: the applied configuration is the new object.
            if (contentType == MediaTypes.ApplyPatch && patch is JsonObject applied)
            {
                return applied.DeepClone().AsObject();
            }

            throw ApiException.NotFound(resource.Group, resource.Plural, name);
        }

        JsonNode? result;
        try
        {
            result = contentType switch
            {
                MediaTypes.MergePatch => JsonMergePatch.Apply(current, patch),
                MediaTypes.JsonPatch => patch is JsonArray operations
                    ? JsonPatch.Apply(current, operations)
                    : throw ApiException.BadRequest("a JSON patch must be a JSON array of operations"),
                MediaTypes.StrategicMergePatch or MediaTypes.ApplyPatch => StrategicMergePatch.Apply(current, patch, PatchSchema.ForKind(resource.ApiVersion, resource.Kind)),
                _ => throw ApiException.UnsupportedMediaType(contentType),
            };
        }
        catch (PatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message);
        }

        if (contentType == MediaTypes.ApplyPatch && result is JsonObject appliedObject)
        {
            // Server-side apply owns the object by field manager, not by resourceVersion.
            ObjectMetadata.SetString(appliedObject, "resourceVersion", ObjectMetadata.ResourceVersion(current));
        }

        return result as JsonObject ?? throw ApiException.BadRequest("the patch did not produce an object");
    }

    private static async Task DeleteAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var request = await DeleteRequestOf(context).ConfigureAwait(false);
        var (obj, deleted) = await store.DeleteAsync(info.Namespace, info.Name!, request, context.RequestAborted).ConfigureAwait(false);
        var resource = store.Resource;
        JsonNode body = deleted && !ReturnsDeletedObject(resource)
            ? Responses.Success(resource.Group, resource.Plural, info.Name!, ObjectMetadata.Uid(obj))
            : obj;
        await Responses.WriteAsync(context, 200, body).ConfigureAwait(false);
    }

    private static async Task DeleteCollectionAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var request = await DeleteRequestOf(context).ConfigureAwait(false);
        var list = await store.ListAsync(info.Namespace, new ListOptions { Predicate = Predicate(context, store.Resource) }, context.RequestAborted).ConfigureAwait(false);
        var items = new JsonArray();
        foreach (var item in list.Items)
        {
            try
            {
                var (obj, _) = await store.DeleteAsync(ObjectMetadata.Namespace(item), ObjectMetadata.Name(item)!, request, context.RequestAborted).ConfigureAwait(false);
                obj.Remove("kind");
                obj.Remove("apiVersion");
                items.Add(obj);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted by someone else in the meantime: that is what was asked for.
            }
        }

        await Responses.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = store.Resource.ListKind,
            ["apiVersion"] = store.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = items,
        }).ConfigureAwait(false);
    }

    /// <summary>Kubernetes answers a finished delete with the object for pods and namespaces, and with a Status for the rest.</summary>
    private static bool ReturnsDeletedObject(RestResource resource) => resource.Group.Length == 0 && resource.Plural is "pods" or "namespaces";

    private static async Task<DeleteRequest> DeleteRequestOf(HttpContext context)
    {
        long? grace = ParseLong(context, "gracePeriodSeconds");
        var policy = Query(context, "propagationPolicy");
        string? uid = null;
        string? rv = null;
        var dryRun = Query(context, "dryRun") == "All";
        if (Query(context, "orphanDependents") is { } orphan)
        {
            policy ??= orphan == "true" ? "Orphan" : "Background";
        }

        var bytes = await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (bytes.Length > 0)
        {
            var body = RequestBody.ParseObject(bytes, context.Request.ContentType ?? MediaTypes.Json);
            grace ??= body["gracePeriodSeconds"]?.GetValue<long>();
            policy ??= body["propagationPolicy"]?.ToString();
            if (policy is null && body["orphanDependents"] is JsonValue orphanValue)
            {
                policy = orphanValue.GetValue<bool>() ? "Orphan" : "Background";
            }

            uid = body["preconditions"]?["uid"]?.ToString();
            rv = body["preconditions"]?["resourceVersion"]?.ToString();
            dryRun |= body["dryRun"] is JsonArray modes && modes.Any(m => m?.ToString() == "All");
        }

        return new DeleteRequest(grace, policy, uid, rv, dryRun);
    }

    private static WriteOptions WriteOptionsOf(HttpContext context)
    {
        var dryRun = Query(context, "dryRun") switch
        {
            null or "" => false,
            "All" => true,
            var other => throw ApiException.BadRequest($"Invalid dryRun value: \"{other}\": supported values: \"All\""),
        };
        var strict = Query(context, "fieldValidation") switch
        {
            null or "" or "Ignore" or "Warn" => false,
            "Strict" => true,
            var other => throw ApiException.BadRequest($"fieldValidation must be one of Ignore, Warn or Strict, got \"{other}\""),
        };
        return new WriteOptions(dryRun, strict);
    }
}
