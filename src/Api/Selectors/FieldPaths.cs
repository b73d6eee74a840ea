using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiniKube.Api.Selectors;

/// <summary>
/// Reads a field selector's field ("metadata.name", "spec.nodeName", "involvedObject.kind", …) from any
/// object by walking its dotted path, and renders it the way k8s's field sets do.
/// </summary>
public static class FieldPaths
{
    /// <summary>
    /// The field's value as text: strings as they are, numbers and booleans in JSON form ("3", "true"),
    /// null when the path is missing, null, or leads to an object or a list.
    /// </summary>
    public static string? Get(JsonNode obj, string fieldPath)
    {
        // Events publish their reporting component as "source" (EventToSelectableFields).
        if (fieldPath == "source" && obj["kind"]?.GetValueKind() == JsonValueKind.String && (string?)obj["kind"] == "Event")
        {
            return Get(obj, "source.component");
        }
        if (fieldPath == "reportingComponent" && obj["reportingComponent"] is null)
        {
            return Get(obj, "reportingController");
        }
        JsonNode? node = obj;
        foreach (var part in fieldPath.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }
        if (node is not JsonValue v)
        {
            return null;
        }
        return v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => Convert.ToString(v.ToString(), CultureInfo.InvariantCulture),
        };
    }

    private static readonly string[] MetadataFields = ["metadata.name", "metadata.namespace"];

    private static readonly FrozenDictionary<string, FrozenSet<string>> SupportedByKind = new Dictionary<string, FrozenSet<string>>
    {
        ["Pod"] = Set("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName"),
        ["Event"] = Set("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type"),
        ["Node"] = Set("spec.unschedulable"),
        ["Namespace"] = Set("status.phase"),
        ["Secret"] = Set("type"),
        ["ReplicaSet"] = Set("status.replicas"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The fields the apiserver lets a field selector use for a kind (its field label conversion funcs):
    /// metadata.name and metadata.namespace for every kind, plus the kind's own.
    /// </summary>
    public static IReadOnlySet<string> Supported(string kind) =>
        SupportedByKind.TryGetValue(kind, out var set) ? set : Set();

    /// <summary>Refuses a selector on a field the kind does not support, with the apiserver's message.</summary>
    /// <exception cref="SelectorParseException">"field label not supported: …"</exception>
    public static void Validate(FieldSelector selector, string kind)
    {
        var supported = Supported(kind);
        foreach (var r in selector.Requirements)
        {
            if (!supported.Contains(r.Field))
            {
                throw new SelectorParseException($"field label not supported: {r.Field}");
            }
        }
    }

    private static FrozenSet<string> Set(params string[] fields) => MetadataFields.Concat(fields).ToFrozenSet(StringComparer.Ordinal);
}
