using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Cli.Bench.E2e;
using MiniKube.Cli.Bench.Scheduling;

namespace MiniKube.Cli.Tests.Bench;

/// <summary><c>mkctl bench scheduler</c>: its flags, its report, and one tiny run on real processes.</summary>
public sealed class SchedulerBenchCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { SchedulerBenchCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse(["scheduler", .. args]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(new[] { "--members", "0" }, "--members must be at least 1")]
    [InlineData(new[] { "--nodes", "0" }, "--nodes must be at least 1")]
    [InlineData(new[] { "--pods", "0" }, "--pods must be at least 1")]
    [InlineData(new[] { "--nodes", "2", "--pods", "221" }, "--pods 221 do not fit on 2 nodes of 110 pods each")]
    [InlineData(new[] { "--timeout", "soon" }, "--timeout:")]
    public async Task Bad_flags_fail_before_any_cluster_starts(string[] args, string message)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public void Report_gives_the_rate_over_the_binding_window_and_per_second_percentiles()
    {
        var timeline = new PodTimeline();
        // Bindings from 2 s to 5.5 s after the scheduler's start: 100, 300, 200 in the whole seconds, 50 in the last half.
        var at = new List<double>();
        at.AddRange(Enumerable.Range(0, 100).Select(i => 2 + (i / 100.0)));
        at.AddRange(Enumerable.Range(0, 300).Select(i => 3 + (i / 300.0)));
        at.AddRange(Enumerable.Range(0, 200).Select(i => 4 + (i / 200.0)));
        at.AddRange(Enumerable.Range(0, 50).Select(i => 5 + (i / 100.0)));
        for (var i = 0; i < at.Count; i++)
        {
            timeline.Observe($"pod-{i}", "node-1", "Pending", TimeSpan.FromSeconds(at[i]));
        }

        var report = new SchedulerBenchReport
        {
            Settings = new SchedulerBenchSettings { Members = 1, Nodes = 10, Pods = at.Count },
            Machine = "machine: test",
            LoadBefore = "1.00 1.00 1.00",
            LoadAfter = "1.00 1.00 1.00",
            ClusterUpSeconds = 1,
            FillSeconds = 1,
            Bound = timeline.Scheduled,
            FirstBindingSeconds = timeline.FirstScheduled?.TotalSeconds,
            AllBoundSeconds = timeline.AllScheduled(at.Count)?.TotalSeconds,
            PodsPerSecond = timeline.SchedulingThroughput(),
            PeakPodsPerSecond = timeline.PeakBindingsPerSecond(),
            PerSecond = timeline.BindingsPerSecond(),
            ElapsedSeconds = 6,
            FromStart = [new ComponentUsage("scheduler", 42, 3.0, 100 << 20, 90 << 20)],
            WhileBinding = [new ComponentUsage("scheduler", 42, 1.75, 100 << 20, 90 << 20)],
        };

        Assert.Equal([100, 300, 200], report.PerSecond);
        Assert.Equal((200, 300), (report.PerSecondPercentile(50), report.PerSecondPercentile(99)));
        Assert.Equal(650 / 3.49, report.PodsPerSecond!.Value, precision: 6);
        Assert.True(report.Completed);
        var text = report.Text();
        Assert.Matches(@"all bound\s+650/650\s+5\.49\n", text);
        Assert.Contains("per second: p50 200, p99 300, peak 300 in 1 s", text, StringComparison.Ordinal);
        // 1.75 CPU-seconds over the 3.49 s of binding.
        Assert.Matches(@"scheduler\s+42\s+3\.00\s+1\.75\s+50\s+100\s+90", text);
        var json = JsonNode.Parse(report.Json())!;
        Assert.Equal(1.75, (double)json["components"]![0]!["cpuSecondsWhileBinding"]!);
        Assert.Equal(200, (int)json["p50PodsPerSecond"]!);
    }

    [Fact]
    public async Task Tiny_run_binds_every_pod_after_the_scheduler_starts_and_reports_each_components_usage()
    {
        var (exit, output, error) = await RunAsync("--members", "1", "--nodes", "3", "--pods", "20", "--timeout", "2m", "-o", "json");

        var context = $"exit {exit}\n--- stdout\n{output}\n--- stderr\n{error}";
        Assert.True(exit == 0, context);
        var report = JsonNode.Parse(output)!.AsObject();
        Assert.True((bool)report["completed"]!, context);
        Assert.Equal(20, (int)report["bound"]!);
        var first = (double)report["firstBindingSeconds"]!;
        Assert.True(first > 0 && first <= (double)report["allBoundSeconds"]!, context);
        var components = report["components"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(["store-1", "apiserver", "scheduler", "bench (mkctl)"], components.Select(c => (string)c["name"]!));
        Assert.All(components, c => Assert.True((double)c["cpuSecondsFromStart"]! >= (double)c["cpuSecondsWhileBinding"]!, context));
        Assert.Contains("Starting the scheduler", error, StringComparison.Ordinal);
    }
}
