using System.Globalization;
using System.Text.RegularExpressions;

namespace MiniKube.Controllers.Common;

/// <summary>Go's time.ParseDuration for the flags ("40s", "1m30s", "500ms", "2h").</summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            throw new FormatException($"time: invalid duration \"{text}\"");
        }

        var total = 0.0;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "ns" => value / 1e6,
                "us" or "µs" => value / 1e3,
                "ms" => value,
                "s" => value * 1e3,
                "m" => value * 60e3,
                _ => value * 3600e3,
            };
        }

        return TimeSpan.FromMilliseconds(total);
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
