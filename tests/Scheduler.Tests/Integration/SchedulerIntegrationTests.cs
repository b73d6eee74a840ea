using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Client;
using MiniKube.Testing.Cluster;
using Xunit.Abstractions;

namespace MiniKube.Scheduler.Tests.Integration;

/// <summary>
/// The scheduler against a real store and an in-process apiserver. Nodes are cluster-scoped and the class shares one
/// cluster, so each test (they run one at a time within the class) deletes its nodes and pods when it ends.
/// </summary>
public sealed class SchedulerIntegrationTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private sealed class RunningScheduler(SchedulerHost host, CancellationTokenSource stop, Task run, KubeClient client) : IAsyncDisposable
    {
        public SchedulerHost Host => host;

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
        }

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await StopAsync();
            }

            host.Dispose();
            client.Dispose();
            stop.Dispose();
        }
    }

    private RunningScheduler StartScheduler(bool leaderElect = false, string? identity = null, int seed = 7)
    {
        var client = cluster.NewClient();
        var host = new SchedulerHost(client, new SchedulerHostOptions
        {
            LeaderElect = leaderElect,
            Identity = identity ?? $"test-{Guid.NewGuid():N}",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
            Scheduler = new SchedulerOptions { Seed = seed, Log = m => output.WriteLine($"[{identity}] {m}") },
        });
        var stop = new CancellationTokenSource();
        return new RunningScheduler(host, stop, Task.Run(() => host.RunAsync(stop.Token)), client);
    }

    /// <summary>Creates a node and then, as a node agent does, its allocatable and Ready condition through the status subresource.</summary>
    private static async Task CreateNodeAsync(KubeClient client, Node node)
    {
        var status = node.Status;
        node.Status = null;
        var created = await client.CreateAsync(node);
        created.Status = status;
        await client.UpdateStatusAsync(created);
    }

    /// <summary>A test pod without the uid and resourceVersion the unit tests give it (the apiserver sets those).</summary>
    private static Pod Pod(string name, string? cpu = null, string? memory = null, string ns = "default", Dictionary<string, string>? labels = null)
    {
        var pod = TestObjects.Pod(name, cpu, memory, ns, labels: labels);
        pod.Metadata!.Uid = null;
        pod.Metadata.ResourceVersion = null;
        pod.Status = null;
        return pod;
    }

    private static Node Node(string name, string cpu = "4", string memory = "8Gi", Dictionary<string, string>? labels = null, List<Taint>? taints = null) =>
        TestObjects.Node(name, cpu, memory, labels: labels, taints: taints);

    private static async Task<List<Pod>> PodsAsync(KubeClient client, string ns) => [.. (await client.ListAsync<Pod>(ns)).Items];

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task CleanUpAsync(KubeClient client, string ns, IEnumerable<string> nodes)
    {
        foreach (var pod in await PodsAsync(client, ns))
        {
            await client.DeleteAsync<Pod>(ns, pod.Metadata!.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        }

        foreach (var node in nodes)
        {
            await client.DeleteAsync<Node>(null, node);
        }
    }

    [Fact]
    public async Task Every_pod_is_bound_and_pods_of_one_app_spread_evenly_across_nodes()
    {
        var ns = await cluster.NewNamespaceAsync("spread");
        using var client = cluster.NewClient(ns);
        string[] nodes = ["spread-a", "spread-b", "spread-c"];
        foreach (var name in nodes)
        {
            await CreateNodeAsync(client, Node(name, cpu: "4", memory: "8Gi"));
        }

        await using var scheduler = StartScheduler();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                await client.CreateAsync(Pod($"web-{i}", cpu: "100m", memory: "64Mi", ns: ns, labels: new() { ["app"] = "web" }));
            }

            await UntilAsync(async () => (await PodsAsync(client, ns)).All(p => !string.IsNullOrEmpty(p.Spec?.NodeName)), "every pod bound");

            var pods = await PodsAsync(client, ns);
            Assert.All(pods.GroupBy(p => p.Spec!.NodeName), g => Assert.Equal(4, g.Count()));
            Assert.All(pods, p => Assert.Contains(p.Status!.Conditions!, c => c.Type == "PodScheduled" && c.Status == "True"));
            await UntilAsync(async () => (await client.ListAsync<Event>(ns)).Items.Count(e => e.Reason == "Scheduled") == 12, "12 Scheduled events");
            var web0 = pods.Single(p => p.Metadata!.Name == "web-0");
            var events = (await client.ListAsync<Event>(ns)).Items;
            Assert.Contains(events, e => e.Type == "Normal" && e.Message == $"Successfully assigned {ns}/web-0 to {web0.Spec!.NodeName}"
                && e.InvolvedObject?.Name == "web-0" && e.Source?.Component == "default-scheduler");
        }
        finally
        {
            await CleanUpAsync(client, ns, nodes);
        }
    }

    [Fact]
    public async Task A_pod_that_fits_nowhere_stays_pending_with_the_reason_and_is_scheduled_once_a_bigger_node_is_added()
    {
        var ns = await cluster.NewNamespaceAsync("nofit");
        using var client = cluster.NewClient(ns);
        List<string> nodes = ["small-a", "small-b", "small-c"];
        foreach (var name in nodes)
        {
            await CreateNodeAsync(client, Node(name, cpu: "1", memory: "8Gi"));
        }

        await using var scheduler = StartScheduler();
        try
        {
            await client.CreateAsync(Pod("huge", cpu: "2", ns: ns));
            const string message = "0/3 nodes are available: 3 Insufficient cpu.";
            await UntilAsync(async () => (await client.GetAsync<Pod>(ns, "huge")).Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true,
                "the PodScheduled condition");
            var pending = await client.GetAsync<Pod>(ns, "huge");
            var condition = pending.Status!.Conditions!.Single(c => c.Type == "PodScheduled");
            Assert.Equal(("False", "Unschedulable", message), (condition.Status, condition.Reason, condition.Message));
            Assert.True(string.IsNullOrEmpty(pending.Spec!.NodeName));
            await UntilAsync(async () => (await client.ListAsync<Event>(ns)).Items.Any(e =>
                e.Type == "Warning" && e.Reason == "FailedScheduling" && e.Message == message && e.InvolvedObject?.Name == "huge"), "the FailedScheduling event");

            nodes.Add("big");
            await CreateNodeAsync(client, Node("big", cpu: "4", memory: "8Gi"));

            await UntilAsync(async () => (await client.GetAsync<Pod>(ns, "huge")).Spec?.NodeName == "big", "the pod bound to the big node");
            var bound = await client.GetAsync<Pod>(ns, "huge");
            Assert.Contains(bound.Status!.Conditions!, c => c.Type == "PodScheduled" && c.Status == "True");
        }
        finally
        {
            await CleanUpAsync(client, ns, nodes);
        }
    }

    [Fact]
    public async Task Taints_and_nodeSelectors_are_respected()
    {
        var ns = await cluster.NewNamespaceAsync("taints");
        using var client = cluster.NewClient(ns);
        string[] nodes = ["t-plain", "t-ssd", "t-gpu"];
        await CreateNodeAsync(client, Node("t-plain"));
        await CreateNodeAsync(client, Node("t-ssd", labels: new() { ["disk"] = "ssd" }));
        await CreateNodeAsync(client, Node("t-gpu", labels: new() { ["accelerator"] = "gpu" },
            taints: [new Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }]));

        await using var scheduler = StartScheduler();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                await client.CreateAsync(Pod($"plain-{i}", cpu: "100m", ns: ns));
            }

            var ssd = Pod("wants-ssd", ns: ns);
            ssd.Spec!.NodeSelector = new() { ["disk"] = "ssd" };
            await client.CreateAsync(ssd);
            var gpu = Pod("wants-gpu", ns: ns);
            gpu.Spec!.NodeSelector = new() { ["accelerator"] = "gpu" };
            gpu.Spec.Tolerations = [new Toleration { Key = "dedicated", Operator = "Equal", Value = "gpu", Effect = "NoSchedule" }];
            await client.CreateAsync(gpu);
            var intolerant = Pod("gpu-intolerant", ns: ns);
            intolerant.Spec!.NodeSelector = new() { ["accelerator"] = "gpu" };
            await client.CreateAsync(intolerant);

            await UntilAsync(async () => (await PodsAsync(client, ns)).Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName)) == 8, "8 pods bound");
            await UntilAsync(async () => (await client.GetAsync<Pod>(ns, "gpu-intolerant")).Status?.Conditions?.Any(c => c.Reason == "Unschedulable") == true,
                "the intolerant pod's condition");

            var pods = (await PodsAsync(client, ns)).ToDictionary(p => p.Metadata!.Name!);
            Assert.Equal("t-ssd", pods["wants-ssd"].Spec!.NodeName);
            Assert.Equal("t-gpu", pods["wants-gpu"].Spec!.NodeName);
            Assert.All(Enumerable.Range(0, 6), i => Assert.NotEqual("t-gpu", pods[$"plain-{i}"].Spec!.NodeName));
            Assert.Equal(
                "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector.",
                pods["gpu-intolerant"].Status!.Conditions!.Single(c => c.Type == "PodScheduled").Message);
        }
        finally
        {
            await CleanUpAsync(client, ns, nodes);
        }
    }

    [Fact]
    public async Task Of_two_schedulers_only_the_leader_binds_and_the_other_takes_over_when_it_stops()
    {
        var ns = await cluster.NewNamespaceAsync("le");
        using var client = cluster.NewClient(ns);
        string[] nodes = ["le-a", "le-b"];
        foreach (var name in nodes)
        {
            await CreateNodeAsync(client, Node(name));
        }

        await using var first = StartScheduler(leaderElect: true, identity: "first", seed: 1);
        await using var second = StartScheduler(leaderElect: true, identity: "second", seed: 2);
        try
        {
            await Eventually.TrueAsync(() => first.Host.IsLeader || second.Host.IsLeader, "a leader");
            var (leader, standby) = first.Host.IsLeader ? (first, second) : (second, first);
            for (var i = 0; i < 5; i++)
            {
                await client.CreateAsync(Pod($"before-{i}", cpu: "10m", ns: ns));
            }

            await UntilAsync(async () => (await PodsAsync(client, ns)).All(p => !string.IsNullOrEmpty(p.Spec?.NodeName)), "the first pods bound");
            Assert.False(standby.Host.IsLeader);
            // The count goes up when the binding's response arrives, which may be after the bound pod is listed.
            await Eventually.TrueAsync(() => leader.Host.Scheduler.ScheduledCount == 5, "the leader to count its 5 bindings");
            Assert.Equal(0, standby.Host.Scheduler.ScheduledCount);

            await leader.StopAsync();
            await Eventually.TrueAsync(() => standby.Host.IsLeader, "the standby to take over", TimeSpan.FromSeconds(15));
            for (var i = 0; i < 5; i++)
            {
                await client.CreateAsync(Pod($"after-{i}", cpu: "10m", ns: ns));
            }

            await UntilAsync(async () => (await PodsAsync(client, ns)).All(p => !string.IsNullOrEmpty(p.Spec?.NodeName)), "the later pods bound");
            await Eventually.TrueAsync(() => standby.Host.Scheduler.ScheduledCount == 5, "the new leader to count its 5 bindings");
            var lease = await client.GetAsync<Api.Coordination.Lease>("kube-system", "kube-scheduler");
            Assert.Equal(standby == first ? "first" : "second", lease.Spec!.HolderIdentity);
        }
        finally
        {
            await CleanUpAsync(client, ns, nodes);
        }
    }
}
