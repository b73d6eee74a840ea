using System.Text;
using System.Text.Json.Nodes;

namespace MiniKube.Cli.Kube;

/// <summary>Prints a metav1.Table as kubectl does: upper-case headers, columns padded to the widest cell plus three
/// spaces; priority-0 columns only unless wide; an optional NAMESPACE column first (for -A).</summary>
public static class TableWriter
{
    public static string Render(JsonObject table, bool wide, bool withNamespace, bool withHeader = true)
    {
        var columns = (table["columnDefinitions"] as JsonArray ?? []).OfType<JsonObject>()
            .Select((c, i) => (Index: i, Name: ((string?)c["name"] ?? "").ToUpperInvariant(), Priority: (int?)c["priority"] ?? 0))
            .Where(c => wide || c.Priority == 0)
            .ToList();
        var rows = new List<string[]>();
        if (withHeader)
        {
            rows.Add([.. (withNamespace ? ["NAMESPACE"] : Array.Empty<string>()), .. columns.Select(c => c.Name)]);
        }

        foreach (var row in (table["rows"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var cells = row["cells"] as JsonArray ?? [];
            var ns = (string?)row["object"]?["metadata"]?["namespace"] ?? "";
            rows.Add([.. (withNamespace ? [ns] : Array.Empty<string>()), .. columns.Select(c => Cell(c.Index < cells.Count ? cells[c.Index] : null))]);
        }

        return Render(rows);
    }

    public static string Render(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return "";
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 3));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Cell(JsonNode? cell) => cell switch
    {
        null => "<none>",
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? "<none>" : s,
        _ => cell.ToJsonString(),
    };
}
