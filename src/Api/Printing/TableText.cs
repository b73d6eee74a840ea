using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiniKube.Api.Printing;

/// <summary>
/// kubectl's plain-text table: upper-case headers, priority-1 columns only when wide, cells cut at their
/// first line break (with "..."), and columns aligned the way its tabwriter does (minimum width 6,
/// padding 3, the last column unpadded).
/// </summary>
public static class TableText
{
    private const int MinWidth = 6;
    private const int Padding = 3;

    /// <param name="withNamespace">
    /// prepend a NAMESPACE column read from each row's object, as kubectl does for --all-namespaces.
    /// </param>
    public static string Render(IReadOnlyList<TableColumn> columns, IEnumerable<TableRow> rows, bool wide, bool noHeaders, bool withNamespace = false)
    {
        if (!withNamespace)
        {
            return Render(columns, rows.Select(r => r.Cells), wide, noHeaders);
        }
        var namespaceColumn = new TableColumn("Namespace", "string", "", "The namespace of the object.");
        return Render(
            [namespaceColumn, .. columns],
            rows.Select(r => (IReadOnlyList<JsonNode?>)[JsonValue.Create(r.RowObject?["metadata"]?["namespace"]?.ToString() ?? ""), .. r.Cells]),
            wide,
            noHeaders);
    }

    /// <summary>Renders a metav1.Table as the apiserver sends it.</summary>
    public static string Render(JsonObject table, bool wide, bool noHeaders, bool withNamespace = false) =>
        Render(
            [.. (table["columnDefinitions"] as JsonArray ?? []).Where(c => c is not null).Select(c => TableColumn.FromJson(c!))],
            (table["rows"] as JsonArray ?? []).Where(r => r is not null).Select(r => TableRow.FromJson(r!)),
            wide,
            noHeaders,
            withNamespace);

    public static string Render(IReadOnlyList<TableColumn> columns, IEnumerable<IReadOnlyList<JsonNode?>> rows, bool wide, bool noHeaders)
    {
        var shown = Enumerable.Range(0, columns.Count).Where(i => wide || columns[i].Priority == 0).ToList();
        var lines = new List<string[]>();
        if (!noHeaders)
        {
            lines.Add([.. shown.Select(i => columns[i].Name.ToUpperInvariant())]);
        }
        foreach (var cells in rows)
        {
            lines.Add([.. shown.Select(i => i < cells.Count ? CellText(cells[i]) : "")]);
        }
        if (lines.Count == 0)
        {
            return "";
        }
        var widths = new int[shown.Count];
        for (var c = 0; c < shown.Count - 1; c++)
        {
            widths[c] = Math.Max(MinWidth, lines.Max(l => TextWidth(l[c])) + Padding);
        }
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            for (var c = 0; c < line.Length; c++)
            {
                sb.Append(line[c]);
                if (c < line.Length - 1)
                {
                    sb.Append(' ', widths[c] - TextWidth(line[c]));
                }
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>How kubectl prints one cell: strings up to their first line break, null as nothing.</summary>
    public static string CellText(JsonNode? cell)
    {
        switch (cell)
        {
            case null:
                return "";
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                var cut = s.AsSpan().IndexOfAny("\f\n\r");
                return Escape(cut >= 0 ? s[..cut] : s) + (cut >= 0 ? "..." : "");
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return v.GetValueKind() == JsonValueKind.True ? "true" : "false";
            case JsonValue v:
                return v.ToJsonString();
            default:
                return Escape(cell.ToJsonString());
        }
    }

    // A tab or another control character would break the alignment.
    private static string Escape(string s)
    {
        if (!s.Any(char.IsControl))
        {
            return s;
        }
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : c);
        }
        return sb.ToString();
    }

    // tabwriter counts runes, so a character outside the BMP is one column, not two UTF-16 units.
    private static int TextWidth(string s) => s.EnumerateRunes().Count();
}
