using System.Globalization;
using System.Text;

namespace MiniKube.Api.Selectors;

/// <summary>The text of k8s field.Error ("path: Invalid value: \"v\": detail") and of an aggregate of them.</summary>
internal static class FieldErrors
{
    public static string Invalid(string path, string value, string detail) =>
        $"{path}: Invalid value: {GoQuote(value)}: {detail}";

    public static string Invalid(string path, string[] values, string detail) =>
        $"{path}: Invalid value: []string{{{string.Join(", ", values.Select(GoQuote))}}}: {detail}";

    /// <summary>utilerrors.Aggregate: one error alone, several as "[a, b]".</summary>
    public static string Aggregate(IReadOnlyList<string> errs) =>
        errs.Count == 1 ? errs[0] : "[" + string.Join(", ", errs.Distinct()) + "]";

    /// <summary>Go's %q for a string.</summary>
    public static string GoQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
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
