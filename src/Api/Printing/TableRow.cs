using System.Text.Json.Nodes;

namespace MiniKube.Api.Printing;

/// <summary>
/// A metav1.TableRow: one cell per column (strings, integers, booleans or null), the conditions k8s
/// attaches (a finished pod's "Completed"), and the object it describes.
/// </summary>
public sealed record TableRow(IReadOnlyList<JsonNode?> Cells, JsonObject? RowObject = null, IReadOnlyList<JsonObject>? Conditions = null)
{
    public JsonObject ToJson()
    {
        var row = new JsonObject { ["cells"] = new JsonArray([.. Cells.Select(c => c?.DeepClone())]) };
        if (Conditions is { Count: > 0 })
        {
            row["conditions"] = new JsonArray([.. Conditions.Select(c => (JsonNode)c.DeepClone())]);
        }
        if (RowObject is not null)
        {
            row["object"] = RowObject.DeepClone();
        }
        return row;
    }

    public static TableRow FromJson(JsonNode node) => new(
        [.. (node["cells"] as JsonArray ?? []).Select(c => c?.DeepClone())],
        node["object"]?.DeepClone() as JsonObject,
        (node["conditions"] as JsonArray)?.OfType<JsonObject>().Select(c => (JsonObject)c.DeepClone()).ToList());
}
