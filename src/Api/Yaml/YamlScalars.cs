using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MiniKube.Api.Yaml;

/// <summary>
/// How go-yaml v2 (the parser under sigs.k8s.io/yaml, so under kubectl and the apiserver) resolves an
/// untagged plain scalar: YAML 1.1, where yes/no/on/off/y/n are booleans, 0777 is octal, 0x1F hex,
/// 1_000 an integer and 1:30 a base-60 number; timestamps stay strings.
/// </summary>
public static partial class YamlScalars
{
    private static readonly Dictionary<string, JsonNode?> Constants = BuildConstants();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex YamlStyleFloat();

    // go-yaml v2's isBase60Float: such strings are quoted on output so that YAML 1.1 readers keep them strings.
    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\z")]
    private static partial Regex Base60Float();

    // go-yaml v2's parseTimestamp formats; such strings stay strings when read, but are quoted when written.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?\z")]
    private static partial Regex Timestamp();

    /// <summary>The JSON value of a plain scalar, or null when it is a plain string.</summary>
    /// <param name="special">set to NaN/Infinity text for .nan and .inf, which JSON cannot hold.</param>
    public static bool TryResolve(string plain, out JsonNode? value, out string? special)
    {
        special = null;
        value = null;
        if (Constants.TryGetValue(plain, out var constant))
        {
            // A fresh node each time: a node can sit in only one document tree.
            value = constant?.DeepClone();
            return true;
        }
        if (plain is ".nan" or ".NaN" or ".NAN")
        {
            special = "NaN";
            return true;
        }
        if (plain is ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF")
        {
            special = "+Inf";
            return true;
        }
        if (plain is "-.inf" or "-.Inf" or "-.INF")
        {
            special = "-Inf";
            return true;
        }
        if (plain.Length == 0 || !(char.IsAsciiDigit(plain[0]) || plain[0] is '+' or '-' or '.'))
        {
            value = null;
            return false;
        }
        var noUnderscores = plain.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInt(noUnderscores, out var number))
        {
            value = JsonNode.Parse(number);
            return true;
        }
        if (YamlStyleFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            value = FromDouble(d);
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>True when a string written plain would be read back as something other than that string.</summary>
    public static bool IsAmbiguous(string s) =>
        TryResolve(s, out _, out _) || Base60Float().IsMatch(s) || Timestamp().IsMatch(s) || s == "<<";

    internal static JsonNode FromDouble(double d) =>
        JsonNode.Parse(d == Math.Floor(d) && Math.Abs(d) < 1e15 ? d.ToString("F0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture))!;

    // strconv.ParseInt(s, 0, 64), falling back to ParseUint as go-yaml does: sign, then 0x / 0o / 0b / leading-0 octal.
    private static bool TryParseGoInt(string s, out string decimalText)
    {
        decimalText = "";
        var negative = false;
        var body = s;
        if (body.StartsWith('+') || body.StartsWith('-'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (body.Length == 0)
        {
            return false;
        }
        int radix = 10;
        if (body.Length > 1 && body[0] == '0')
        {
            switch (body[1])
            {
                case 'x' or 'X': radix = 16; body = body[2..]; break;
                case 'o' or 'O': radix = 8; body = body[2..]; break;
                case 'b' or 'B': radix = 2; body = body[2..]; break;
                default: radix = 8; body = body[1..]; break;
            }
        }
        if (body.Length == 0)
        {
            return false;
        }
        System.Numerics.BigInteger value = 0;
        foreach (var c in body)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }
            value = value * radix + digit;
        }
        if (negative)
        {
            value = -value;
        }
        if (value < long.MinValue || value > ulong.MaxValue)
        {
            return false;
        }
        decimalText = value.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static Dictionary<string, JsonNode?> BuildConstants()
    {
        var map = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var t in new[] { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" })
        {
            map[t] = JsonValue.Create(true);
        }
        foreach (var f in new[] { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" })
        {
            map[f] = JsonValue.Create(false);
        }
        foreach (var n in new[] { "", "~", "null", "Null", "NULL" })
        {
            map[n] = null;
        }
        return map;
    }
}
