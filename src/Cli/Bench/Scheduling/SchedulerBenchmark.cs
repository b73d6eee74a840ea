using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Cli.Bench.E2e;
using MiniKube.Cli.Cluster;
using MiniKube.Client;
using MiniKube.Client.Config;

namespace MiniKube.Cli.Bench.Scheduling;

/// <summary>
/// Issue 5's scheduler throughput, measured as Kubernetes' scheduler_perf measures SchedulingThroughput: a store and
/// an apiserver started by the same code as <c>mkctl up</c>, the Ready nodes and every pending pod created first, and
/// only then the scheduler (the real <c>mkctl scheduler</c> process, leader election and all). No controller-manager
/// and no node agent run, so nothing but the scheduler and the benchmark's own pod watch competes for the CPUs while
/// it binds. A pod watch times each binding from the scheduler's start.
/// </summary>
public static class SchedulerBenchmark
{
    public const string Namespace = "bench-scheduler";

    public const string NodeNamePrefix = "bench-node-";

    private const string AppLabel = "bench-scheduler";

    /// <summary>Runs the benchmark; progress goes to <paramref name="log"/>, the result is returned.</summary>
    public static async Task<SchedulerBenchReport> RunAsync(SchedulerBenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var temporary = settings.Dir is null;
        var root = settings.Dir ?? Directory.CreateTempSubdirectory("mk-bench-scheduler-").FullName;
        var directory = new ClusterDirectory(root);
        if (directory.Exists)
        {
            throw new ClusterException($"{root} already holds a cluster; bench scheduler needs a new directory");
        }

        // Only the store members and the apiserver; the scheduler joins once the nodes and pods are in place.
        Directory.CreateDirectory(root);
        var layout = ClusterState.New(settings.Members, 0, "simulated", LocalCluster.PickFreePort);
        (layout with { Components = [.. layout.Components.Where(c => c.Kind is ClusterState.StoreKind or ClusterState.ApiServerKind)] }).Save(directory.StatePath);
        var cluster = new LocalCluster(directory, log);
        var machine = await MachineInfo.DetectAsync("/usr/bin/etcd").ConfigureAwait(false);
        var loadBefore = MachineInfo.LoadAverage();
        try
        {
            var up = Stopwatch.StartNew();
            var state = await cluster.UpAsync(settings.Members, 0, "simulated", null, null, null, null, settings.UpTimeout, cancellationToken).ConfigureAwait(false);
            var upSeconds = up.Elapsed.TotalSeconds;
            using var client = new KubeClient(new ClientConfig { Server = state.ApiServerUrl, Namespace = Namespace, UserAgent = "mkctl-bench-scheduler" });
            await ClusterBench.EnsureNamespaceAsync(client, Namespace, cancellationToken).ConfigureAwait(false);

            var fill = Stopwatch.StartNew();
            await log.WriteLineAsync($"Creating {settings.Nodes} Ready nodes and {settings.Pods} pending pods …").ConfigureAwait(false);
            var now = ResourceTime(DateTimeOffset.UtcNow);
            await CreateAllAsync(settings.Nodes, settings.CreateParallelism, (i, token) => client.CreateAsync(ApiResources.Nodes, null, Node(i, settings, now), token), cancellationToken).ConfigureAwait(false);
            await CreateAllAsync(settings.Pods, settings.CreateParallelism, (i, token) => client.CreateAsync(ApiResources.Pods, Namespace, Pod(i, settings), token), cancellationToken).ConfigureAwait(false);
            var fillSeconds = fill.Elapsed.TotalSeconds;
            var list = await client.ListAsync(ApiResources.Pods, Namespace, new ListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
            var resourceVersion = (string?)list["metadata"]?["resourceVersion"] ?? "0";

            var processes = state.Components.Select(c => new MeasuredProcess(c.Name, c.Pid))
                .Append(new MeasuredProcess(ClusterState.SchedulerKind, null)).Append(new MeasuredProcess("bench (mkctl)", Environment.ProcessId)).ToArray();
            var atLaunch = processes.Select(p => p.Pid is { } pid ? ProcessUsage.Read(pid) : new ProcessUsage(TimeSpan.Zero, null, null)).ToArray();
            ProcessUsage[]? atFirstBinding = null;

            var timeline = new PodTimeline();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(settings.Timeout);
            var clock = Stopwatch.StartNew();
            var watching = ClusterBench.WatchPodsUntilAsync(client, Namespace, null, resourceVersion, timeline, clock, log,
                done: () =>
                {
                    if (atFirstBinding is null && timeline.Scheduled > 0)
                    {
                        atFirstBinding = [.. processes.Select(p => ProcessUsage.ReadIfAny(p.Pid))];
                    }

                    return timeline.Scheduled >= settings.Pods;
                },
                progress: () => $"{timeline.Scheduled}/{settings.Pods} bound",
                deadline.Token);
            await log.WriteLineAsync("Starting the scheduler …").ConfigureAwait(false);
            var schedulerPid = await cluster.AddAndLaunchAsync(new ComponentState { Name = ClusterState.SchedulerKind, Kind = ClusterState.SchedulerKind }).ConfigureAwait(false);
            processes[^2].Pid = schedulerPid;
            var schedulerExited = WatchProcessAsync(schedulerPid, deadline);
            var completed = await watching.ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var atEnd = processes.Select(p => ProcessUsage.ReadIfAny(p.Pid)).ToArray();
            if (!completed)
            {
                var why = schedulerExited.IsCompleted ? "the scheduler exited" : $"gave up after {settings.Timeout.TotalSeconds:0}s";
                await log.WriteLineAsync($"{why}: {timeline.Scheduled}/{settings.Pods} pods bound (logs in {cluster.Directory.LogsDirectory})").ConfigureAwait(false);
            }

            var firstBinding = atFirstBinding ?? atEnd;
            return new SchedulerBenchReport
            {
                Settings = settings,
                Machine = machine.ToString(),
                LoadBefore = loadBefore,
                LoadAfter = MachineInfo.LoadAverage(),
                ClusterUpSeconds = upSeconds,
                FillSeconds = fillSeconds,
                Bound = timeline.Scheduled,
                FirstBindingSeconds = timeline.FirstScheduled?.TotalSeconds,
                AllBoundSeconds = timeline.AllScheduled(settings.Pods)?.TotalSeconds,
                PodsPerSecond = timeline.SchedulingThroughput(),
                PeakPodsPerSecond = timeline.PeakBindingsPerSecond(),
                PerSecond = timeline.BindingsPerSecond(),
                ElapsedSeconds = elapsed.TotalSeconds,
                FromStart = [.. processes.Select((p, i) => ComponentUsage.Between(p.Name, p.Pid, atLaunch[i], atEnd[i]))],
                WhileBinding = [.. processes.Select((p, i) => ComponentUsage.Between(p.Name, p.Pid, firstBinding[i], atEnd[i]))],
            };
        }
        finally
        {
            await ClusterBench.TearDownAsync(cluster, settings.Keep, temporary, log).ConfigureAwait(false);
        }
    }

    /// <summary>A Node as a kubelet would have registered it: Ready, with the allocatable the pods are fitted into.</summary>
    public static JsonObject Node(int index, SchedulerBenchSettings settings, string now)
    {
        var name = NodeNamePrefix + index.ToString("D5", CultureInfo.InvariantCulture);
        JsonObject Resources() => new() { ["cpu"] = settings.NodeCpu, ["memory"] = settings.NodeMemory, ["pods"] = settings.NodePods.ToString(CultureInfo.InvariantCulture) };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux" } },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["capacity"] = Resources(),
                ["allocatable"] = Resources(),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "created Ready by mkctl bench scheduler",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                }),
            },
        };
    }

    /// <summary>A pending pod with bench e2e's requests and no owner (scheduler_perf's pods have none either).</summary>
    public static JsonObject Pod(int index, SchedulerBenchSettings settings) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = "pod-" + index.ToString("D6", CultureInfo.InvariantCulture),
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["app"] = AppLabel },
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["image"] = "registry.k8s.io/pause:3.10",
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = settings.CpuRequest, ["memory"] = settings.MemoryRequest } },
            }),
        },
    };

    /// <summary>A process whose usage the benchmark reads; the scheduler's pid is known only once it is launched.</summary>
    private sealed class MeasuredProcess(string name, int? pid)
    {
        public string Name { get; } = name;

        public int? Pid { get; set; } = pid;
    }

    private static string ResourceTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Task CreateAllAsync(int count, int parallelism, Func<int, CancellationToken, Task> create, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, token) => await create(i, token).ConfigureAwait(false));

    /// <summary>Completes when the process is gone, cancelling <paramref name="deadline"/> so the benchmark stops waiting for it.</summary>
    private static async Task WatchProcessAsync(int pid, CancellationTokenSource deadline)
    {
        try
        {
            while (ComponentProcess.IsRunning(pid, ClusterState.SchedulerKind))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token).ConfigureAwait(false);
            }

            await deadline.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
