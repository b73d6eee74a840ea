using System.Text.Json.Nodes;
using MiniKube.Api.Autoscaling;
using MiniKube.Api.Resources;
using MiniKube.Api.Selectors;
using MiniKube.Api.Validation;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Registry.Strategies;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Endpoints;

public sealed partial class ResourceHandler
{
    /// <summary>
    /// deployments/scale and replicasets/scale: an autoscaling/v1 Scale view of spec.replicas;
    /// writes go to the owning object, with the Scale's resourceVersion as the precondition.
    /// </summary>
    private static async Task ScaleAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        if (info.Verb == "get")
        {
            var obj = await store.GetAsync(info.Namespace, info.Name!, null, context.RequestAborted).ConfigureAwait(false);
            await Responses.WriteAsync(context, 200, ScaleOf(obj)).ConfigureAwait(false);
            return;
        }

        var contentType = MediaTypes.Bare(context.Request.ContentType);
        var body = RequestBody.Parse(await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false), contentType);
        var resource = store.Resource;
        var (updated, _) = await store.UpdateAsync(info.Namespace, info.Name!, UpdateKind.Main, current =>
        {
            if (current is null)
            {
                throw ApiException.NotFound(resource.Group, resource.Plural, info.Name!);
            }

            var scale = ScaleOf(current);
            var newScale = info.Verb == "update"
                ? body as JsonObject ?? throw ApiException.BadRequest("the body of the request must be a Scale object")
                : ApplyPatch(ScaleResource, info.Name!, scale, body, contentType);
            var replicas = newScale["spec"]?["replicas"];
            if (replicas is not JsonValue value || !value.TryGetValue<long>(out var count))
            {
                throw ApiException.Invalid("autoscaling", "Scale", info.Name!, [new FieldError(FieldError.RequiredType, "spec.replicas", "Required value")]);
            }

            if (count < 0)
            {
                throw ApiException.Invalid("autoscaling", "Scale", info.Name!,
                    [new FieldError(FieldError.InvalidType, "spec.replicas", $"Invalid value: {count}: must be greater than or equal to 0")]);
            }

            var requestedRv = ObjectMetadata.ResourceVersion(newScale);
            if (requestedRv is { Length: > 0 } && requestedRv != ObjectMetadata.ResourceVersion(current))
            {
                throw ApiException.Conflict(resource.Group, resource.Plural, info.Name!, ApiException.ObjectModified);
            }

            var spec = current["spec"] as JsonObject ?? [];
            spec["replicas"] = count;
            current["spec"] = spec;
            return current;
        }, WriteOptions.Default, context.RequestAborted).ConfigureAwait(false);
        await Responses.WriteAsync(context, 200, ScaleOf(updated)).ConfigureAwait(false);
    }

    private static readonly RestResource ScaleResource = new(
        new ApiResource("autoscaling", "v1", "Scale", "", "scale", "scale", true, [], [], [], [], "", typeof(Scale), typeof(Scale), []), new JsonStrategy());

    private static JsonObject ScaleOf(JsonObject obj)
    {
        var metadata = ObjectMetadata.Of(obj);
        var selector = obj["spec"]?["selector"];
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = Selector.FromLabelSelector(selector).ToString(),
            },
        };
    }

    /// <summary>
    /// pods/binding: the scheduler's decision. Sets spec.nodeName once (a second binding is a
    /// conflict) and the PodScheduled condition, as Kubernetes' BindingREST does.
    /// </summary>
    private async Task BindAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var body = RequestBody.ParseObject(await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false),
            context.Request.ContentType ?? "");
        var node = body["target"]?["name"]?.ToString();
        if (string.IsNullOrEmpty(node))
        {
            throw ApiException.Invalid("", "Binding", info.Name!, [new FieldError(FieldError.RequiredType, "target.name", "Required value")]);
        }

        if (ObjectMetadata.Name(body) is { Length: > 0 } bodyName && bodyName != info.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({info.Name})");
        }

        var now = ResourceStore.Rfc3339(clock.GetUtcNow());
        var bindingUid = body["metadata"]?["uid"]?.ToString();
        await store.UpdateAsync(info.Namespace, info.Name!, UpdateKind.Internal, current =>
        {
            if (current is null)
            {
                throw ApiException.NotFound("", "pods", info.Name!);
            }

            if (bindingUid is { Length: > 0 } && bindingUid != ObjectMetadata.Uid(current))
            {
                throw ApiException.Conflict("", "pods", info.Name!, $"Precondition failed: UID in precondition: {bindingUid}, UID in object meta: {ObjectMetadata.Uid(current)}");
            }

            if (ResourceStore.IsDeleting(current))
            {
                throw ApiException.Conflict("", "pods", info.Name!, "pod is being deleted, cannot be assigned to a host");
            }

            var spec = current["spec"] as JsonObject ?? [];
            if (spec["nodeName"]?.ToString() is { Length: > 0 } existing)
            {
                throw ApiException.Conflict("", "pods", info.Name!, $"pod {info.Name} is already assigned to node \"{existing}\"");
            }

            spec["nodeName"] = node;
            current["spec"] = spec;
            var status = current["status"] as JsonObject ?? [];
            var conditions = status["conditions"] as JsonArray ?? [];
            var scheduled = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "PodScheduled");
            if (scheduled is null)
            {
                scheduled = new JsonObject { ["type"] = "PodScheduled" };
                conditions.Add(scheduled);
            }

            scheduled["status"] = "True";
            scheduled["lastProbeTime"] = null;
            scheduled["lastTransitionTime"] = now;
            scheduled.Remove("reason");
            scheduled.Remove("message");
            status["conditions"] = conditions;
            current["status"] = status;
            // The pod keeps its resourceVersion: the binding is unconditional on it, like Kubernetes'.
            ObjectMetadata.Of(current).Remove("resourceVersion");
            return current;
        }, WriteOptions.Default, context.RequestAborted).ConfigureAwait(false);

        var success = Responses.Success("", "pods", info.Name!, null);
        success["code"] = 201;
        await Responses.WriteAsync(context, 201, success).ConfigureAwait(false);
    }

    /// <summary>pods/log: proxied to the pod's node (see <see cref="PodLogs"/>).</summary>
    private Task LogAsync(HttpContext context, ResourceStore store, RequestInfo info) => PodLogs.ServeAsync(context, registry, store, info);
}
