using System.Diagnostics;
using MiniKube.Testing.Cluster;
using Xunit.Abstractions;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests;

/// <summary>
/// Issue 5's scheduler benchmark without the apiserver: 1,000 nodes, pods of 10 owners, bindings answered at once.
/// It prints pods/s and asserts only what must hold (every pod bound, no node over its allocatable, spread), never a time.
/// </summary>
public sealed class SchedulerThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scheduling_5000_pods_on_1000_nodes_binds_every_pod_within_allocatable()
    {
        const int nodes = 1000, pods = 5000, owners = 10, seed = 42;
        var api = new FakeSchedulerApi();
        using var scheduler = new KubeScheduler(api, new SchedulerOptions { Seed = seed });
        for (var i = 0; i < nodes; i++)
        {
            scheduler.OnNodeAdd(Node($"node-{i:D4}", cpu: "4", memory: "8Gi", pods: 110));
        }

        // Warm the code paths up so the number measures steady state.
        for (var i = 0; i < 200; i++)
        {
            scheduler.OnPodAdd(Pod($"warm-{i}", cpu: "10m", memory: "16Mi", ns: "warm", ownerUid: "warm"));
        }

        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => scheduler.ScheduledCount == 200, "the warm-up pods bound", TimeSpan.FromSeconds(60));

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < pods; i++)
        {
            scheduler.OnPodAdd(Pod($"p-{i}", cpu: "100m", memory: "128Mi", ownerUid: $"rs-{i % owners}"));
        }

        await Eventually.TrueAsync(() => scheduler.ScheduledCount == 200 + pods, "every pod bound", TimeSpan.FromSeconds(90));
        stopwatch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        await run;

        var rate = pods / stopwatch.Elapsed.TotalSeconds;
        // The machine is shared, so pods per CPU-second (the whole process: scheduling, queue, fake bindings) says more than wall time.
        var line = $"scheduled {pods} pods on {nodes} nodes in {stopwatch.Elapsed.TotalSeconds:F2} s: {rate:F0} pods/s wall, "
            + $"{pods / cpu.TotalSeconds:F0} pods per CPU-second ({cpu.TotalSeconds:F2} CPU-s; seed {seed})";
        output.WriteLine(line);
        Console.WriteLine($"[scheduler throughput] {line}");
        Assert.Equal(200 + pods, api.Bindings.Count);
        foreach (var node in Enumerable.Range(0, nodes).Select(i => scheduler.Cache.GetNode($"node-{i:D4}")!))
        {
            Assert.True(node.Requested.MilliCpu <= node.Allocatable.MilliCpu && node.PodCount <= node.AllowedPodNumber, $"{node.Name} overcommitted (seed {seed})");
        }

        // 5,000 pods on 1,000 equal nodes: spreading and least-allocated keep every node within a few pods of 5.
        var perNode = api.Bindings.Where(b => b.Key.StartsWith("default/", StringComparison.Ordinal)).GroupBy(b => b.Value).Select(g => g.Count()).ToList();
        Assert.True(perNode.Max() <= 8, $"a node got {perNode.Max()} pods (seed {seed})");
    }
}
