using System.Text;
using System.Text.Json.Nodes;

namespace MiniKube.Api.Selectors;

/// <summary>
/// A field selector (k8s.io/apimachinery/pkg/fields): comma-separated "field=value", "field==value" or
/// "field!=value" terms, ANDed. In values, "\," "\=" and "\\" escape the three special characters.
/// </summary>
public sealed class FieldSelector
{
    private readonly FieldRequirement[] requirements;

    private FieldSelector(FieldRequirement[] requirements) => this.requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements => requirements;

    public bool Empty => requirements.Length == 0;

    /// <summary>fields.ParseSelector.</summary>
    /// <exception cref="SelectorParseException">"invalid selector: '…'; can't understand '…'" and the escape errors.</exception>
    public static FieldSelector Parse(string selector)
    {
        var parts = SplitTerms(selector);
        parts.Sort(StringComparer.Ordinal);
        var reqs = new List<FieldRequirement>();
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                continue;
            }
            if (!SplitTerm(part, out var lhs, out var op, out var rhs))
            {
                throw new SelectorParseException($"invalid selector: '{selector}'; can't understand '{part}'");
            }
            reqs.Add(new FieldRequirement(lhs, op, UnescapeValue(rhs)));
        }
        return new FieldSelector([.. reqs]);
    }

    /// <summary>A selector requiring field=value for each entry.</summary>
    public static FieldSelector FromSet(IReadOnlyDictionary<string, string> set) =>
        new([.. set.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FieldRequirement(kv.Key, SelectorOperator.Equals, kv.Value))]);

    public bool Matches(Func<string, string?> fieldValue)
    {
        foreach (var r in requirements)
        {
            if (!r.Matches(fieldValue))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Matches the fields of a JSON object, read by path with <see cref="FieldPaths.Get"/>.</summary>
    public bool MatchesObject(JsonNode obj) => Matches(path => FieldPaths.Get(obj, path));

    /// <summary>The value an "=" term requires for <paramref name="field"/>, if any (fields.RequiresExactMatch).</summary>
    public bool RequiresExactMatch(string field, out string value)
    {
        foreach (var r in requirements)
        {
            if (r.Field == field && r.Operator != SelectorOperator.NotEquals)
            {
                value = r.Value;
                return true;
            }
        }
        value = "";
        return false;
    }

    public override string ToString() => string.Join(",", requirements.Select(r => r.ToString()));

    /// <summary>fields.EscapeValue.</summary>
    public static string EscapeValue(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);

    /// <summary>fields.UnescapeValue.</summary>
    public static string UnescapeValue(string s)
    {
        if (s.AsSpan().IndexOfAny("\\,=") < 0)
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        var inSlash = false;
        foreach (var c in s)
        {
            if (inSlash)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw new SelectorParseException($"invalid field selector: invalid escape sequence: \\{c}");
                }
                sb.Append(c);
                inSlash = false;
                continue;
            }
            switch (c)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',' or '=':
                    // Go prints the rune with %v, i.e. its code point.
                    throw new SelectorParseException($"invalid field selector: unescaped character in value: {(int)c}");
                default:
                    sb.Append(c);
                    break;
            }
        }
        if (inSlash)
        {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return sb.ToString();
    }

    // Escaped commas stay inside their term, backslash included; UnescapeValue removes it later.
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        if (selector.Length == 0)
        {
            return terms;
        }
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }
        terms.Add(selector[start..]);
        return terms;
    }

    // The first position where "!=", "==" or "=" starts splits the term: the field name has no escapes.
    private static bool SplitTerm(string term, out string lhs, out SelectorOperator op, out string rhs)
    {
        for (var i = 0; i < term.Length; i++)
        {
            var rest = term.AsSpan(i);
            if (rest.StartsWith("!="))
            {
                (lhs, op, rhs) = (term[..i], SelectorOperator.NotEquals, term[(i + 2)..]);
                return true;
            }
            if (rest.StartsWith("=="))
            {
                (lhs, op, rhs) = (term[..i], SelectorOperator.DoubleEquals, term[(i + 2)..]);
                return true;
            }
            if (rest.StartsWith("="))
            {
                (lhs, op, rhs) = (term[..i], SelectorOperator.Equals, term[(i + 1)..]);
                return true;
            }
        }
        (lhs, op, rhs) = ("", SelectorOperator.Equals, "");
        return false;
    }
}
