using System.Text.Json;
using MiniKube.Cli.Bench;

namespace MiniKube.Cli.Tests.Bench;

public sealed class BenchReportTests
{
    /// <summary>1 ms, 2 ms, … 1000 ms in a scrambled order (7919 is prime to 1000), over 2 seconds.</summary>
    private static BenchReport Millis1To1000() =>
        BenchReport.Create("put", TimeSpan.FromSeconds(2), [.. Enumerable.Range(1, 1000).OrderBy(i => i * 7919 % 1000).Select(i => i / 1000.0)], new Dictionary<string, int>());

    [Theory]
    [InlineData(10, 101)] // nearest rank as etcd's report: the ⌈p(n+1)/100⌉-th smallest
    [InlineData(50, 501)]
    [InlineData(99, 991)]
    [InlineData(99.9, 1000)]
    public void Percentile_is_the_nearest_rank_as_etcd_computes_it(double percent, int expectedMillis)
    {
        Assert.Equal(expectedMillis / 1000.0, Millis1To1000().Percentile(percent), 9);
    }

    [Fact]
    public void Summary_has_throughput_extremes_and_mean()
    {
        var report = Millis1To1000();

        Assert.Equal(500, report.Throughput, 6);
        Assert.Equal(0.001, report.Fastest, 9);
        Assert.Equal(1.0, report.Slowest, 9);
        Assert.Equal(0.5005, report.Average, 9);
    }

    [Fact]
    public void Combined_runs_pool_latencies_errors_and_time()
    {
        var a = BenchReport.Create("put", TimeSpan.FromSeconds(1), [0.001, 0.003], new Dictionary<string, int> { ["x"] = 1 });
        var b = BenchReport.Create("put", TimeSpan.FromSeconds(3), [0.002], new Dictionary<string, int> { ["x"] = 2, ["y"] = 1 });

        var combined = BenchReport.Combine([a, b]);

        Assert.Equal([0.001, 0.002, 0.003], combined.Latencies);
        Assert.Equal(3, combined.Errors["x"]);
        Assert.Equal(7, combined.Operations);
        Assert.Equal(0.75, combined.Throughput, 9);
    }

    [Fact]
    public void Json_carries_throughput_percentiles_and_errors()
    {
        var report = BenchReport.Create("put", TimeSpan.FromSeconds(1), [0.001, 0.002, 0.004], new Dictionary<string, int> { ["boom"] = 2 });
        var settings = new StoreBenchSettings { Endpoints = [new Uri("http://127.0.0.1:2379")], Total = 5 };

        using var json = JsonDocument.Parse(ReportWriter.Json(report, settings));

        var root = json.RootElement;
        Assert.Equal("put", root.GetProperty("op").GetString());
        Assert.Equal(3, root.GetProperty("opsPerSec").GetDouble());
        Assert.Equal(2, root.GetProperty("errors").GetInt32());
        Assert.Equal(2, root.GetProperty("errorDistribution").GetProperty("boom").GetInt32());
        var latency = root.GetProperty("latencyMs");
        Assert.Equal(2, latency.GetProperty("p50").GetDouble());
        Assert.Equal(4, latency.GetProperty("p99").GetDouble());
        Assert.Equal(4, latency.GetProperty("max").GetDouble());
    }

    [Fact]
    public void Histogram_puts_every_latency_in_a_bucket()
    {
        var text = ReportWriter.Text(Millis1To1000());

        var counts = text.Split('\n')
            .SkipWhile(l => !l.StartsWith("Response time histogram:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.Length > 0)
            .Select(l => int.Parse(l[(l.IndexOf('[', StringComparison.Ordinal) + 1)..l.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1000, counts.Sum());
    }
}
