using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Cli.Cluster;
using MiniKube.Client;
using MiniKube.Client.Config;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>
/// Issue 5's end-to-end benchmark: a local cluster started by the same code as <c>mkctl up</c>, one Deployment, and a
/// pod watch that times each pod's creation, binding and Running from the Deployment's create. CPU and memory of every
/// cluster process come from /proc around the measurement.
/// </summary>
public static class E2eBenchmark
{
    public const string Namespace = "bench-e2e";

    /// <summary>Runs the benchmark; progress goes to <paramref name="log"/>, the result is returned.</summary>
    public static async Task<E2eReport> RunAsync(E2eBenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var temporary = settings.Dir is null;
        var root = settings.Dir ?? Directory.CreateTempSubdirectory("mk-bench-e2e-").FullName;
        var cluster = new LocalCluster(new ClusterDirectory(root), log);
        var machine = await MachineInfo.DetectAsync("/usr/bin/etcd").ConfigureAwait(false);
        var loadBefore = MachineInfo.LoadAverage();
        try
        {
            var up = Stopwatch.StartNew();
            var state = await cluster.UpAsync(settings.Members, settings.Nodes, "simulated", null, null, null, null, settings.UpTimeout, cancellationToken).ConfigureAwait(false);
            var upSeconds = up.Elapsed.TotalSeconds;
            using var client = new KubeClient(new ClientConfig { Server = state.ApiServerUrl, Namespace = Namespace, UserAgent = "mkctl-bench-e2e" });
            await ClusterBench.EnsureNamespaceAsync(client, Namespace, cancellationToken).ConfigureAwait(false);

            var name = "e2e-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var selector = "app=" + name;
            var list = await client.ListAsync(ApiResources.Pods, Namespace, new ListOptions { LabelSelector = selector }, cancellationToken).ConfigureAwait(false);
            var resourceVersion = (string?)list["metadata"]?["resourceVersion"] ?? "0";

            var usageBefore = state.Components.ToDictionary(c => c.Name, c => ProcessUsage.ReadIfAny(c.Pid));
            var selfBefore = ProcessUsage.Read(Environment.ProcessId);
            await log.WriteLineAsync($"Creating deployment {Namespace}/{name} with {settings.Replicas} replicas …").ConfigureAwait(false);

            var timeline = new PodTimeline();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(settings.Timeout);
            var clock = Stopwatch.StartNew();
            var watching = ClusterBench.WatchPodsUntilAsync(client, Namespace, selector, resourceVersion, timeline, clock, log,
                done: () => timeline.Running >= settings.Replicas,
                progress: () => $"{timeline.Created} created, {timeline.Scheduled} scheduled, {timeline.Running} Running",
                deadline.Token);
            await client.CreateAsync(ApiResources.Deployments, Namespace, Deployment(name, settings), cancellationToken).ConfigureAwait(false);
            var completed = await watching.ConfigureAwait(false);
            var elapsed = clock.Elapsed;

            var components = state.Components
                .Select(c => ComponentUsage.Between(c.Name, c.Pid, usageBefore[c.Name], ProcessUsage.ReadIfAny(c.Pid)))
                .Append(ComponentUsage.Between("bench (mkctl)", Environment.ProcessId, selfBefore, ProcessUsage.Read(Environment.ProcessId)))
                .ToList();
            if (!completed)
            {
                await log.WriteLineAsync($"Gave up after {settings.Timeout.TotalSeconds:0}s: {timeline.Running}/{settings.Replicas} pods Running (logs in {cluster.Directory.LogsDirectory})").ConfigureAwait(false);
            }

            return new E2eReport
            {
                Settings = settings,
                Machine = machine.ToString(),
                LoadBefore = loadBefore,
                LoadAfter = MachineInfo.LoadAverage(),
                ClusterUpSeconds = upSeconds,
                Created = timeline.Created,
                Scheduled = timeline.Scheduled,
                Running = timeline.Running,
                AllCreatedSeconds = timeline.AllCreated(settings.Replicas)?.TotalSeconds,
                AllScheduledSeconds = timeline.AllScheduled(settings.Replicas)?.TotalSeconds,
                AllRunningSeconds = timeline.AllRunning(settings.Replicas)?.TotalSeconds,
                SchedulerPodsPerSecond = timeline.SchedulingThroughput(),
                PeakBindingsPerSecond = timeline.PeakBindingsPerSecond(),
                ElapsedSeconds = elapsed.TotalSeconds,
                Components = components,
            };
        }
        finally
        {
            await ClusterBench.TearDownAsync(cluster, settings.Keep, temporary, log).ConfigureAwait(false);
        }
    }

    /// <summary>A Deployment whose pods request little enough that a node's 110-pod limit binds before its cpu does.</summary>
    private static JsonObject Deployment(string name, E2eBenchSettings settings) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["replicas"] = settings.Replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "main",
                        ["image"] = "registry.k8s.io/pause:3.10",
                        ["resources"] = new JsonObject
                        {
                            ["requests"] = new JsonObject { ["cpu"] = settings.CpuRequest, ["memory"] = settings.MemoryRequest },
                        },
                    }),
                },
            },
        },
    };
}
