using System.Text;

namespace MiniKube.Cli.Etcd.Output;

/// <summary>
/// A bordered table with centred headers, as etcdctl's -w table draws with tablewriter: numbers aligned right
/// and text left, or every cell right with <see cref="AlignRight"/> (etcdctl's own tables all set ALIGN_RIGHT).
/// </summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Every cell aligned right (tablewriter's ALIGN_RIGHT), as etcdctl prints status and member tables.</summary>
    public bool AlignRight { get; init; }

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        var text = new StringBuilder().AppendLine(border);
        text.AppendLine("| " + string.Join(" | ", headers.Select((h, i) => Centre(h, widths[i]))) + " |").AppendLine(border);
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select((c, i) => AlignRight || long.TryParse(c, out _) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |");
        }

        return text.Append(border).ToString();
    }

    private static string Centre(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return (new string(' ', left) + text).PadRight(width);
    }
}
