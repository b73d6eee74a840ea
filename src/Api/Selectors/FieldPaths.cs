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
}
