using System.Globalization;
using System.Text.Json;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>The number formats the cluster benchmarks' reports share (<c>bench e2e</c>, <c>bench scheduler</c>).</summary>
public static class ReportFormat
{
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Fixed(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    public static string MiB(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture) : "-";

    /// <summary>The value rounded to milliseconds (or thousandths), or null.</summary>
    public static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
