using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Selectors;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// Serves the resource paths (/api/v1/…, /apis/{group}/{version}/…): reads the verb, namespace,
/// name and subresource from the path and the options from the query, and answers with objects,
/// lists, tables, watch streams or Status errors, as Kubernetes' REST handlers do.
/// </summary>
public sealed partial class ResourceHandler(ResourceRegistry registry, TablePrinting tables, ApiMetrics metrics, TimeProvider clock, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var store = registry.Find(info.Group, info.Version, info.Resource) ?? throw ApiException.PageNotFound();
        var resource = store.Resource;
        if (!resource.Namespaced && info.Namespace is not null)
        {
            throw ApiException.PageNotFound();
        }

        if (info.Subresource is { } sub && !resource.HasSubresource(sub))
        {
            throw ApiException.PageNotFound();
        }

        if (info.Namespace is not null)
        {
            ValidatePathSegment(info.Namespace, "namespace");
        }

        if (info.Name is not null)
        {
            ValidatePathSegment(info.Name, "name");
        }

        switch (info.Verb, info.Subresource)
        {
            case ("get", null):
                await GetAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("list", null):
                await ListAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("watch", null):
                await WatchAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("create", null) when info.Name is null:
                await CreateAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("update", null or "status"):
                await UpdateAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("patch", null or "status"):
                await PatchAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("delete", null):
                await DeleteAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("deletecollection", null):
                await DeleteCollectionAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("get", "status"):
                await GetAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("get" or "update" or "patch", "scale"):
                await ScaleAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("create", "binding"):
                await BindAsync(context, store, info).ConfigureAwait(false);
                break;
            case ("get", "log"):
                await LogAsync(context, store, info).ConfigureAwait(false);
                break;
            default:
                throw ApiException.MethodNotAllowed(context.Request.Method, resource.Kind);
        }
    }

    private async Task GetAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var obj = await store.GetAsync(info.Namespace, info.Name!, Query(context, "resourceVersion"), context.RequestAborted).ConfigureAwait(false);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept.ToString()))
        {
            var table = tables.ToTable(store.Resource, [obj], ObjectMetadata.ResourceVersion(obj), null, IncludeObject(context));
            await Responses.WriteAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        await Responses.WriteAsync(context, 200, obj).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var options = new ListOptions
        {
            ResourceVersion = Query(context, "resourceVersion"),
            ResourceVersionMatch = ParseMatch(Query(context, "resourceVersionMatch")),
            Limit = ParseLong(context, "limit") ?? 0,
            Continue = Query(context, "continue"),
            Predicate = Predicate(context, store.Resource),
        };
        if (options.Limit < 0)
        {
            throw ApiException.BadRequest("limit must be a non-negative integer");
        }

        var list = await store.ListAsync(info.Namespace, options, context.RequestAborted).ConfigureAwait(false);
        var rv = list.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept.ToString()))
        {
            var table = tables.ToTable(store.Resource, list.Items, rv, list.Continue, IncludeObject(context));
            await Responses.WriteAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (list.Continue is not null)
        {
            metadata["continue"] = list.Continue;
        }

        if (list.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var items = new JsonArray();
        foreach (var item in list.Items)
        {
            // Items of a typed list carry no kind or apiVersion of their own (as Kubernetes encodes them).
            item.Remove("kind");
            item.Remove("apiVersion");
            items.Add(item);
        }

        await Responses.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = store.Resource.ListKind,
            ["apiVersion"] = store.Resource.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = items,
        }).ConfigureAwait(false);
    }

    /// <summary>The label and field selectors of the query as one filter; null when there are none.</summary>
    internal static Func<JsonObject, bool>? Predicate(HttpContext context, RestResource resource)
    {
        Selector labels;
        FieldSelector fields;
        try
        {
            labels = Query(context, "labelSelector") is { Length: > 0 } l ? Selector.Parse(l) : Selector.Everything;
        }
        catch (SelectorParseException e)
        {
            throw ApiException.BadRequest(e.Message);
        }

        try
        {
            fields = Query(context, "fieldSelector") is { Length: > 0 } f ? FieldSelector.Parse(f) : FieldSelector.Everything;
        }
        catch (SelectorParseException e)
        {
            throw ApiException.BadRequest(e.Message);
        }

        foreach (var requirement in fields.Requirements)
        {
            if (!resource.Api.SupportsFieldSelector(requirement.Field))
            {
                throw ApiException.BadRequest($"field label not supported: {requirement.Field}");
            }
        }

        if (labels.Empty && fields.Empty)
        {
            return null;
        }

        // Watch filters run on every change for every watcher: the side without requirements is not evaluated at all
        // (reading the labels builds a dictionary per object).
        return obj => (labels.Empty || labels.Matches(ObjectMetadata.Labels(obj))) && (fields.Empty || fields.Matches(path => FieldPaths.Get(obj, path) ?? ""));
    }

    internal static string? Query(HttpContext context, string name)
        => context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    internal static long? ParseLong(HttpContext context, string name)
    {
        var text = Query(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest($"invalid value for {name}: \"{text}\" is not an integer");
    }

    internal static bool ParseBool(HttpContext context, string name)
        => Query(context, name) is { } text && (text.Length == 0 || text is "true" or "1" or "True");

    private static ResourceVersionMatch ParseMatch(string? text) => text switch
    {
        null or "" => ResourceVersionMatch.Unset,
        "NotOlderThan" => ResourceVersionMatch.NotOlderThan,
        "Exact" => ResourceVersionMatch.Exact,
        _ => throw ApiException.BadRequest($"unsupported resourceVersionMatch: \"{text}\": supported values: \"Exact\", \"NotOlderThan\""),
    };

    private static string IncludeObject(HttpContext context) => Query(context, "includeObject") ?? "Metadata";

    private static void ValidatePathSegment(string segment, string what)
    {
        if (segment is "." or ".." || segment.Contains('/') || segment.Contains('%'))
        {
            throw ApiException.BadRequest($"{what} may not be '.', '..' or contain '/' or '%': \"{segment}\"");
        }
    }
}
