using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Cli.Bench.E2e;

namespace MiniKube.Cli.Tests.Bench;

/// <summary><c>mkctl bench e2e</c> on a tiny real cluster (detached processes, as mkctl up starts them).</summary>
public sealed class E2eBenchCommandTests
{
    [Fact]
    public async Task Tiny_run_reports_every_pod_created_scheduled_and_running_in_order_with_each_components_usage()
    {
        var root = new RootCommand { E2eBenchCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await root.Parse(["e2e", "--members", "1", "--nodes", "3", "--replicas", "10", "--timeout", "2m", "-o", "json"])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

        var context = $"exit {exit}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        Assert.True(exit == 0, context);
        var report = JsonNode.Parse(stdout.ToString())!.AsObject();
        Assert.True((bool)report["completed"]!, context);
        Assert.Equal((10, 10, 10), ((int)report["created"]!, (int)report["scheduled"]!, (int)report["running"]!));
        var created = (double)report["allCreatedSeconds"]!;
        var scheduled = (double)report["allScheduledSeconds"]!;
        var running = (double)report["allRunningSeconds"]!;
        Assert.True(created > 0 && created <= scheduled && scheduled <= running && running <= (double)report["elapsedSeconds"]!, context);
        Assert.True((double)report["schedulerPodsPerSecond"]! > 0 && (int)report["peakBindingsPerSecond"]! is >= 1 and <= 10, context);

        var components = report["components"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(["store-1", "apiserver", "controller-manager", "scheduler", "node-agent", "bench (mkctl)"], components.Select(c => (string)c["name"]!));
        Assert.All(components, c => Assert.True((double)c["cpuSeconds"]! >= 0 && (long)c["peakRssBytes"]! > 0, context));
        // Every process was stopped and the temporary directory removed.
        Assert.All(components.SkipLast(1), c => Assert.False(Directory.Exists($"/proc/{(int)c["pid"]!}") && File.ReadAllText($"/proc/{(int)c["pid"]!}/cmdline").Contains("mkctl", StringComparison.Ordinal), context));
    }
}
