using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MiniKube.Cli.Bench;

/// <summary>
/// Prints a <see cref="BenchReport"/> as etcd's benchmark does (summary, response time histogram,
/// latency distribution, error distribution), or as JSON for scripts and docs.
/// </summary>
public static class ReportWriter
{
    private const int HistogramBuckets = 10;
    private const int BarWidth = 40;

    /// <summary>The text report; <paramref name="precise"/> prints full precision instead of four decimals.</summary>
    public static string Text(BenchReport report, bool precise = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        if (report.Succeeded > 0)
        {
            text.Append("\nSummary:\n")
                .Append(Inv($"  Total:\t{Number(report.Duration.TotalSeconds, precise)} secs.\n"))
                .Append(Inv($"  Slowest:\t{Number(report.Slowest, precise)} secs.\n"))
                .Append(Inv($"  Fastest:\t{Number(report.Fastest, precise)} secs.\n"))
                .Append(Inv($"  Average:\t{Number(report.Average, precise)} secs.\n"))
                .Append(Inv($"  Stddev:\t{Number(report.Stddev, precise)} secs.\n"))
                .Append(Inv($"  Requests/sec:\t{Number(report.Throughput, precise)}\n"));
            AppendHistogram(text, report, precise);
            text.Append("\nLatency distribution:\n");
            foreach (var percent in BenchReport.Percentiles)
            {
                text.Append(Inv($"  {percent}% in {report.Percentile(percent) * 1000:F3} ms.\n"));
            }
        }

        if (report.Writes is { Succeeded: > 0 } writes)
        {
            text.Append(Inv($"\nWrites (their latency is part of each delivery's above):\n  {writes.Succeeded} puts, {Number(writes.Throughput, precise)}/sec, p50 {writes.Percentile(50) * 1000:F3} ms, p99 {writes.Percentile(99) * 1000:F3} ms.\n"));
        }

        if (report.Errors.Count > 0)
        {
            text.Append("\nError distribution:\n");
            foreach (var (error, count) in report.Errors.OrderByDescending(e => e.Value))
            {
                text.Append(Inv($"  [{count}]\t{error}\n"));
            }
        }

        return text.ToString();
    }

    /// <summary>The report with the settings that produced it, as one JSON object.</summary>
    public static string Json(BenchReport report, StoreBenchSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteSettings(json, settings);
            WriteResult(json, report);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteSettings(Utf8JsonWriter json, StoreBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(settings);
        json.WriteString("op", StoreOpNames.Of(settings.Op));
        if (settings.Op == StoreOp.Range)
        {
            json.WriteString("consistency", settings.Serializable ? "s" : "l");
        }

        json.WriteStartArray("endpoints");
        foreach (var endpoint in settings.Endpoints)
        {
            json.WriteStringValue(endpoint.ToString());
        }

        json.WriteEndArray();
        json.WriteNumber("clients", settings.Clients);
        json.WriteNumber("conns", settings.Conns);
        json.WriteNumber("total", settings.Total);
        json.WriteNumber("keySize", settings.KeySize);
        json.WriteNumber("valSize", settings.ValSize);
        json.WriteNumber("keySpaceSize", settings.KeySpaceSize);
        json.WriteBoolean("sequentialKeys", settings.SequentialKeys);
        json.WriteNumber("rate", settings.Rate);
    }

    /// <summary>Writes the result's properties (not an object of its own) into the object being written.</summary>
    public static void WriteResult(Utf8JsonWriter json, BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        json.WriteNumber("operations", report.Operations);
        json.WriteNumber("succeeded", report.Succeeded);
        json.WriteNumber("errors", report.Failed);
        json.WriteNumber("durationSeconds", Round(report.Duration.TotalSeconds));
        json.WriteNumber("opsPerSec", Round(report.Throughput));
        json.WriteStartObject("latencyMs");
        json.WriteNumber("min", Round(report.Fastest * 1000));
        json.WriteNumber("mean", Round(report.Average * 1000));
        json.WriteNumber("stddev", Round(report.Stddev * 1000));
        foreach (var percent in BenchReport.Percentiles)
        {
            json.WriteNumber(Inv($"p{percent}"), Round(report.Percentile(percent) * 1000));
        }

        json.WriteNumber("max", Round(report.Slowest * 1000));
        json.WriteEndObject();
        json.WriteStartObject("errorDistribution");
        foreach (var (error, count) in report.Errors)
        {
            json.WriteNumber(error, count);
        }

        json.WriteEndObject();
        if (report.Writes is { } writes)
        {
            json.WriteStartObject("writes");
            WriteResult(json, writes);
            json.WriteEndObject();
        }
    }

    private static void AppendHistogram(StringBuilder text, BenchReport report, bool precise)
    {
        // Ten equal buckets from the fastest to the slowest, and the slowest on its own line, as etcd.
        var bounds = new double[HistogramBuckets + 1];
        var width = (report.Slowest - report.Fastest) / HistogramBuckets;
        for (var i = 0; i < HistogramBuckets; i++)
        {
            bounds[i] = report.Fastest + (width * i);
        }

        bounds[HistogramBuckets] = report.Slowest;
        var counts = new int[bounds.Length];
        var bucket = 0;
        foreach (var latency in report.Latencies)
        {
            while (latency > bounds[bucket] && bucket < bounds.Length - 1)
            {
                bucket++;
            }

            counts[bucket]++;
        }

        var most = counts.Max();
        text.Append("\nResponse time histogram:\n");
        for (var i = 0; i < bounds.Length; i++)
        {
            var bar = most > 0 ? counts[i] * BarWidth / most : 0;
            text.Append(Inv($"  {Number(bounds[i], precise)} [{counts[i]}]\t|")).Append('∎', bar).Append('\n');
        }
    }

    private static string Number(double value, bool precise) =>
        precise ? value.ToString("R", CultureInfo.InvariantCulture) : value.ToString("F4", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 4);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
