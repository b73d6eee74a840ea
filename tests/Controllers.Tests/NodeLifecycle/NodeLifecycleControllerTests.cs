using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Resources;
using MiniKube.Client;
using MiniKube.Controllers.NodeLifecycle;
using MiniKube.Testing.Cluster;

namespace MiniKube.Controllers.Tests.NodeLifecycle;

/// <summary>The controller's passes are driven by hand on a fake clock; the cluster is real.</summary>
public sealed class NodeLifecycleControllerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Node_whose_lease_stops_is_tainted_unreachable_and_its_pods_evicted_when_tolerations_expire()
    {
        var ns = await cluster.NewNamespaceAsync("nlc");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = new Harness(cluster, time);
        var nodeName = $"node-{Guid.NewGuid():N}"[..16];
        await CreateNodeAsync(h.Client, nodeName, ready: "True", time.GetUtcNow());
        var unreachable = new Toleration { Key = NodeLifecycleController.UnreachableTaint, Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 300 };
        await h.Client.CreateAsync(BoundPod(ns, "tolerates-300s", nodeName, [unreachable]));
        // Every pod is admitted with 300 s tolerations (DefaultTolerationSeconds) unless it brings its own.
        await h.Client.CreateAsync(BoundPod(ns, "tolerates-0s", nodeName, [new Toleration { Key = NodeLifecycleController.UnreachableTaint, Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 0 }]));
        await h.Client.CreateAsync(BoundPod(ns, "tolerates-forever", nodeName, [new Toleration { Operator = "Exists" }]));
        var controller = new NodeLifecycleController(h.Client, h.Informers, h.Events, time, Grace);
        await h.StartAsync();
        await Eventually.TrueAsync(() => h.Informers.For<Pod>().Lister.List(ns).Count == 3, "the pods cached");

        await controller.MonitorAsync(CancellationToken.None);
        time.Advance(Grace - TimeSpan.FromSeconds(1));
        await controller.MonitorAsync(CancellationToken.None);
        Assert.Null((await h.Client.GetAsync<Node>(null, nodeName)).Spec?.Taints);

        time.Advance(TimeSpan.FromSeconds(2));
        await controller.MonitorAsync(CancellationToken.None);
        var node = await h.Client.GetAsync<Node>(null, nodeName);
        var ready = node.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."), (ready.Status, ready.Reason, ready.Message));
        var taint = Assert.Single(node.Spec!.Taints!);
        Assert.Equal((NodeLifecycleController.UnreachableTaint, "NoExecute"), (taint.Key, taint.Effect));
        Assert.True(await IsDeletingAsync(h.Client, ns, "tolerates-0s"), "a pod tolerating the taint for 0 s is evicted at once");
        Assert.False(await IsDeletingAsync(h.Client, ns, "tolerates-300s"));

        await Eventually.TrueAsync(() => h.Informers.For<Node>().Lister.Get(null, nodeName)?.Spec?.Taints is { Count: 1 }, "the taint cached");
        time.Advance(TimeSpan.FromSeconds(299));
        await controller.MonitorAsync(CancellationToken.None);
        Assert.False(await IsDeletingAsync(h.Client, ns, "tolerates-300s"));
        time.Advance(TimeSpan.FromSeconds(2));
        await controller.MonitorAsync(CancellationToken.None);
        Assert.True(await IsDeletingAsync(h.Client, ns, "tolerates-300s"), "evicted once tolerationSeconds ran out");
        Assert.False(await IsDeletingAsync(h.Client, ns, "tolerates-forever"));

        var lease = await h.Client.GetAsync<Lease>(NodeLifecycleController.NodeLeaseNamespace, nodeName);
        lease.Spec!.RenewTime = time.GetUtcNow();
        var renewed = await h.Client.UpdateAsync(lease);
        await Eventually.TrueAsync(() => h.Informers.For<Lease>().Lister.Get(NodeLifecycleController.NodeLeaseNamespace, nodeName)?.Metadata?.ResourceVersion == renewed.Metadata!.ResourceVersion, "the renewal cached");
        await controller.MonitorAsync(CancellationToken.None);
        Assert.Null((await h.Client.GetAsync<Node>(null, nodeName)).Spec?.Taints);
    }

    [Fact]
    public async Task Node_reporting_Ready_False_gets_the_not_ready_taint_while_its_lease_is_fresh()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = new Harness(cluster, time);
        var nodeName = $"node-{Guid.NewGuid():N}"[..16];
        await CreateNodeAsync(h.Client, nodeName, ready: "False", time.GetUtcNow());
        var controller = new NodeLifecycleController(h.Client, h.Informers, h.Events, time, Grace);
        await h.StartAsync();
        await Eventually.TrueAsync(() => h.Informers.For<Lease>().Lister.Get(NodeLifecycleController.NodeLeaseNamespace, nodeName) is not null, "the lease cached");

        await controller.MonitorAsync(CancellationToken.None);

        var taint = Assert.Single((await h.Client.GetAsync<Node>(null, nodeName)).Spec!.Taints!);
        Assert.Equal((NodeLifecycleController.NotReadyTaint, "NoExecute"), (taint.Key, taint.Effect));
    }

    private static async Task<bool> IsDeletingAsync(KubeClient client, string ns, string name)
    {
        try
        {
            return (await client.GetAsync<Pod>(ns, name)).Metadata!.DeletionTimestamp is not null;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return true;
        }
    }

    private static Pod BoundPod(string ns, string name, string nodeName, List<Toleration>? tolerations)
    {
        var pod = Objects.Pod(ns, name, new() { ["app"] = "x" });
        pod.Spec!.NodeName = nodeName;
        pod.Spec.Tolerations = tolerations;
        return pod;
    }

    private static async Task CreateNodeAsync(KubeClient client, string name, string ready, DateTimeOffset now)
    {
        await client.CreateAsync(new Node
        {
            Metadata = new ObjectMeta { Name = name },
            Status = new NodeStatus { Conditions = [new NodeCondition { Type = "Ready", Status = ready, LastHeartbeatTime = now, LastTransitionTime = now }] },
        });
        try
        {
            await client.CreateAsync(ApiResources.Namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = NodeLifecycleController.NodeLeaseNamespace },
            });
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
        }

        await client.CreateAsync(new Lease
        {
            Metadata = new ObjectMeta { Name = name, Namespace = NodeLifecycleController.NodeLeaseNamespace },
            Spec = new LeaseSpec { HolderIdentity = name, LeaseDurationSeconds = 40, RenewTime = now },
        });
    }
}
