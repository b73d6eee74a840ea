using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiniKube.Api.Yaml;

/// <summary>
/// Writes JSON nodes as the block YAML `kubectl get -o yaml` prints (go-yaml v2's emitter): two-space
/// indentation, list items with their dash at the parent key's indentation, strings plain when they
/// read back as the same string, in double quotes when YAML 1.1 would type them ("123", "true", "yes",
/// ""), in single quotes when a plain scalar would be misparsed (": ", leading "- ", surrounding
/// spaces), and multi-line strings as "|" blocks. Keys keep the JSON's order unless asked to sort them
/// (kubectl sorts, because it goes through Go maps).
/// Long plain and single-quoted strings fold at 80 columns as go-yaml's do; double-quoted ones do not.
/// </summary>
public static class YamlWriter
{
    public static string Write(JsonNode? node) => Write(node, sortKeys: false);

    public static string Write(JsonNode? node, bool sortKeys)
    {
        var w = new Writer(sortKeys);
        w.WriteTop(node);
        return w.ToString();
    }

    /// <summary>Several documents joined by "---" lines, as kubectl prints a list with -o yaml per item.</summary>
    public static string WriteAll(IEnumerable<JsonNode?> nodes, bool sortKeys = false) =>
        string.Join("---\n", nodes.Select(n => Write(n, sortKeys)));

    private sealed class Writer(bool sortKeys)
    {
        private const int BestWidth = 80;

        private readonly StringBuilder sb = new();

        public override string ToString() => sb.ToString();

        public void WriteTop(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when o.Count > 0:
                    WriteMap(o, 0, firstInline: false);
                    break;
                case JsonArray a when a.Count > 0:
                    WriteSeq(a, 0, firstInline: false);
                    break;
                default:
                    sb.Append(Scalar(node, 2, 0)).Append('\n');
                    break;
            }
        }

        private void WriteMap(JsonObject o, int indent, bool firstInline)
        {
            var entries = sortKeys ? o.OrderBy(kv => kv.Key, StringComparer.Ordinal) : o.AsEnumerable();
            var first = true;
            foreach (var (key, value) in entries)
            {
                if (!(first && firstInline))
                {
                    sb.Append(' ', indent);
                }
                first = false;
                sb.Append(key.Contains('\n', StringComparison.Ordinal) ? DoubleQuoted(key) : QuoteString(key, indent)).Append(':');
                switch (value)
                {
                    case JsonObject child when child.Count > 0:
                        sb.Append('\n');
                        WriteMap(child, indent + 2, firstInline: false);
                        break;
                    case JsonArray list when list.Count > 0:
                        sb.Append('\n');
                        WriteSeq(list, indent, firstInline: false);
                        break;
                    default:
                        sb.Append(' ');
                        sb.Append(Scalar(value, indent + 2, Column())).Append('\n');
                        break;
                }
            }
        }

        private void WriteSeq(JsonArray a, int indent, bool firstInline)
        {
            var first = true;
            foreach (var item in a)
            {
                if (!(first && firstInline))
                {
                    sb.Append(' ', indent);
                }
                first = false;
                sb.Append("- ");
                switch (item)
                {
                    case JsonObject child when child.Count > 0:
                        WriteMap(child, indent + 2, firstInline: true);
                        break;
                    case JsonArray list when list.Count > 0:
                        WriteSeq(list, indent + 2, firstInline: true);
                        break;
                    default:
                        sb.Append(Scalar(item, indent + 2, Column())).Append('\n');
                        break;
                }
            }
        }

        /// <summary>A scalar (or an empty collection) as it appears after "key: " or "- ".</summary>
        private int Column()
        {
            var i = sb.Length - 1;
            while (i >= 0 && sb[i] != '\n')
            {
                i--;
            }
            return sb.Length - 1 - i;
        }

        private static string Scalar(JsonNode? node, int blockIndent, int column)
        {
            switch (node)
            {
                case null:
                    return "null";
                case JsonObject:
                    return "{}";
                case JsonArray:
                    return "[]";
            }
            var value = (JsonValue)node;
            return value.GetValueKind() switch
            {
                JsonValueKind.String => QuoteString(value.GetValue<string>(), blockIndent, column),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.ToJsonString(),
            };
        }

        private static string QuoteString(string s, int blockIndent, int column = -1)
        {
            if (s.Length == 0 || YamlScalars.IsAmbiguous(s))
            {
                return DoubleQuoted(s);
            }
            if (HasSpecialCharacters(s))
            {
                return DoubleQuoted(s);
            }
            if (s.Contains('\n', StringComparison.Ordinal))
            {
                return LiteralAllowed(s) ? Literal(s, blockIndent) : DoubleQuoted(s);
            }
            var plain = PlainAllowed(s);
            if (column < 0)
            {
                return plain ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
            }
            return plain ? Fold(s, column, blockIndent, quoted: false) : "'" + Fold(s, column + 1, blockIndent, quoted: true) + "'";
        }

        // go-yaml folds plain and single-quoted values at the first single space past column 80,
        // continuing on a new line at the value's indentation; a reader folds the break back into that space.
        private static string Fold(string s, int column, int indent, bool quoted)
        {
            var result = new StringBuilder(s.Length + 8);
            var afterSpace = false;
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (c == ' ')
                {
                    var canBreak = !afterSpace && column > BestWidth && i + 1 < s.Length && s[i + 1] != ' ' && (!quoted || i != 0);
                    if (canBreak)
                    {
                        result.Append('\n').Append(' ', indent);
                        column = indent;
                    }
                    else
                    {
                        result.Append(' ');
                        column++;
                    }
                    afterSpace = true;
                    continue;
                }
                if (quoted && c == '\'')
                {
                    result.Append("''");
                    column += 2;
                }
                else
                {
                    result.Append(c);
                    column++;
                }
                afterSpace = false;
            }
            return result.ToString();
        }

        // yaml_emitter_analyze_scalar's rules for a plain scalar in block context.
        private static bool PlainAllowed(string s)
        {
            if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
            {
                return false;
            }
            if (s[0] is ' ' or '\t' || s[^1] is ' ' or '\t')
            {
                return false;
            }
            var first = s[0];
            var followedByBlank = s.Length == 1 || s[1] is ' ' or '\t';
            if (first is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
            {
                return false;
            }
            if (first is '?' or ':' or '-' && followedByBlank)
            {
                return false;
            }
            for (var i = 1; i < s.Length; i++)
            {
                var c = s[i];
                if (c == ':' && (i == s.Length - 1 || s[i + 1] is ' ' or '\t'))
                {
                    return false;
                }
                if (c == '#' && s[i - 1] is ' ' or '\t')
                {
                    return false;
                }
            }
            return true;
        }

        // A block scalar cannot carry trailing spaces on a line or a leading space on its first line
        // (go-yaml would need an indentation indicator); those go double-quoted.
        private static bool LiteralAllowed(string s)
        {
            var lines = s.Split('\n');
            return !lines.Any(l => l.EndsWith(' ') || l.Contains('\t', StringComparison.Ordinal) || l.Contains('\r', StringComparison.Ordinal))
                && !s.StartsWith(' ');
        }

        private static string Literal(string s, int indent)
        {
            var chomp = s.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : s.EndsWith('\n') ? "" : "-";
            var body = s.EndsWith('\n') ? s[..^1] : s;
            var sb = new StringBuilder("|").Append(chomp);
            foreach (var line in body.Split('\n'))
            {
                sb.Append('\n');
                if (line.Length > 0)
                {
                    sb.Append(' ', indent).Append(line);
                }
            }
            return sb.ToString();
        }

        private static bool HasSpecialCharacters(string s)
        {
            foreach (var c in s)
            {
                if ((c < 0x20 && c != '\n') || c == 0x7f || c == '\uFEFF')
                {
                    return true;
                }
            }
            return false;
        }

        private static string DoubleQuoted(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\0': sb.Append("\\0"); break;
                    default:
                        if (c < 0x20 || c == 0x7f || c == '\uFEFF')
                        {
                            sb.Append(c > 0xff ? "\\u" : "\\x").Append(((int)c).ToString(c > 0xff ? "X4" : "X2", System.Globalization.CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }
                        break;
                }
            }
            return sb.Append('"').ToString();
        }
    }
}
