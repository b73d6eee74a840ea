using MiniKube.Cli.Bench;

namespace MiniKube.Cli.Tests.Bench;

/// <summary>The benchmark engine end to end, a few hundred operations against a store process.</summary>
public sealed class StoreBenchmarkTests(StoreFixture store) : IClassFixture<StoreFixture>
{
    [Theory]
    [InlineData("put", false)]
    [InlineData("txn-put", false)]
    [InlineData("range", false)]
    [InlineData("range", true)]
    public async Task Benchmark_records_every_operation_with_ordered_percentiles_when_the_store_serves_all(string op, bool serializable)
    {
        var settings = new StoreBenchSettings
        {
            Endpoints = [store.ClientUrl],
            Op = StoreOpNames.Parse(op),
            Clients = 8,
            Conns = 2,
            Total = 300,
            KeySpaceSize = 50,
            Prefill = op == "range",
            Serializable = serializable,
            Warmup = 20,
        };

        var report = await StoreBenchmark.RunAsync(settings);

        Assert.Empty(report.Errors);
        Assert.Equal(300, report.Operations);
        Assert.Equal(300, report.Succeeded);
        AssertSane(report);
    }

    [Fact]
    public async Task Watch_benchmark_records_one_delivery_per_write_and_watcher()
    {
        var settings = new StoreBenchSettings
        {
            Endpoints = [store.ClientUrl],
            Op = StoreOp.Watch,
            Clients = 4,
            Conns = 2,
            Total = 50,
            KeySpaceSize = 10,
        };

        var report = await StoreBenchmark.RunAsync(settings);

        Assert.Empty(report.Errors);
        Assert.Equal(200, report.Succeeded);
        Assert.Equal(50, report.Writes?.Succeeded);
        AssertSane(report);
        // A delivery cannot beat the write it reports: the write's send is where its latency starts.
        Assert.True(report.Fastest <= report.Writes!.Slowest);
    }

    [Fact]
    public async Task Benchmark_counts_failures_by_message_when_nothing_listens()
    {
        var settings = new StoreBenchSettings { Endpoints = [new Uri($"http://127.0.0.1:{Testing.FreePort.Pick()}")], Total = 20, Clients = 2 };

        var report = await StoreBenchmark.RunAsync(settings);

        Assert.Equal(20, report.Operations);
        Assert.Equal(0, report.Succeeded);
        var error = Assert.Single(report.Errors);
        Assert.StartsWith("rpc error: code = Unavailable", error.Key, StringComparison.Ordinal);
        Assert.Contains("Error distribution:", ReportWriter.Text(report), StringComparison.Ordinal);
    }

    private static void AssertSane(BenchReport report)
    {
        Assert.True(report.Throughput > 0);
        Assert.True(report.Fastest > 0);
        var previous = report.Fastest;
        foreach (var percent in BenchReport.Percentiles)
        {
            var value = report.Percentile(percent);
            Assert.True(value >= previous, $"p{percent} = {value} is below the previous percentile {previous}");
            previous = value;
        }

        Assert.True(report.Slowest >= previous);
        Assert.InRange(report.Average, report.Fastest, report.Slowest);

        var text = ReportWriter.Text(report);
        Assert.Contains("Requests/sec:", text, StringComparison.Ordinal);
        Assert.Contains("99.9% in", text, StringComparison.Ordinal);
    }
}
