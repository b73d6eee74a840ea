using MiniKube.Api.Core;
using MiniKube.Controllers.ReplicaSets;
using MiniKube.Testing;
using MiniKube.Testing.Cluster;

namespace MiniKube.Controllers.Tests.ReplicaSets;

public sealed class ReplicaSetControllerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web" };

    [Fact]
    public async Task ReplicaSet_creates_owned_pods_and_scales_down_when_replicas_change()
    {
        var ns = await cluster.NewNamespaceAsync("rs");
        await using var h = new Harness(cluster);
        var controller = new ReplicaSetController(h.Client, h.Informers, h.Events, h.Time);
        await h.StartAsync(controller);
        var rs = await h.Client.CreateAsync(Objects.ReplicaSet(ns, "web", 3, Labels));

        var pods = await WaitForPodsAsync(h, ns, 3);
        Assert.All(pods, p =>
        {
            Assert.StartsWith("web-", p.Metadata!.Name, StringComparison.Ordinal);
            var owner = Assert.Single(p.Metadata.OwnerReferences!);
            Assert.Equal((rs.Metadata!.Uid, "ReplicaSet", true, true), (owner.Uid, owner.Kind, owner.Controller, owner.BlockOwnerDeletion));
        });
        await Eventually.TrueAsync(() => h.Client.GetAsync<MiniKube.Api.Apps.ReplicaSet>(ns, "web").Result.Status?.Replicas == 3, "status.replicas 3");

        await h.Client.ScaleAsync<MiniKube.Api.Apps.ReplicaSet>(ns, "web", 1);
        await WaitForPodsAsync(h, ns, 1);
        // Expectations: no extra pod is ever created on the way down or after.
        await Task.Delay(300);
        Assert.Single(await ActivePodsAsync(h, ns));
    }

    [Fact]
    public async Task ReplicaSet_adopts_a_matching_orphan_and_releases_a_pod_whose_labels_stop_matching()
    {
        var ns = await cluster.NewNamespaceAsync("rs");
        await using var h = new Harness(cluster);
        var orphan = await h.Client.CreateAsync(Objects.Pod(ns, "orphan", Labels));
        var controller = new ReplicaSetController(h.Client, h.Informers, h.Events, h.Time);
        await h.StartAsync(controller);
        var rs = await h.Client.CreateAsync(Objects.ReplicaSet(ns, "web", 2, Labels));

        var pods = await WaitForPodsAsync(h, ns, 2);
        var adopted = Assert.Single(pods, p => p.Metadata!.Name == "orphan");
        Assert.Equal(rs.Metadata!.Uid, adopted.Metadata!.OwnerReferences![0].Uid);

        await h.Client.PatchAsync<Pod>(ns, "orphan", MiniKube.Client.PatchType.Merge, """{"metadata":{"labels":{"app":"other"}}}""");
        await Eventually.TrueAsync(() =>
        {
            var all = ActivePodsAsync(h, ns).Result;
            var released = all.Single(p => p.Metadata!.Name == "orphan");
            return released.Metadata!.OwnerReferences is null or { Count: 0 } && all.Count(p => p.Metadata!.Labels!["app"] == "web") == 2;
        }, "the relabeled pod released and replaced");
    }

    [Fact]
    public async Task ReplicaSet_status_counts_ready_pods_when_their_Ready_condition_is_true()
    {
        var ns = await cluster.NewNamespaceAsync("rs");
        await using var h = new Harness(cluster);
        var controller = new ReplicaSetController(h.Client, h.Informers, h.Events, h.Time);
        await h.StartAsync(controller);
        await h.Client.CreateAsync(Objects.ReplicaSet(ns, "web", 2, Labels));
        var pods = await WaitForPodsAsync(h, ns, 2);

        var ready = pods[0];
        ready.Status = new PodStatus
        {
            Phase = "Running",
            Conditions = [new PodCondition { Type = "Ready", Status = "True", LastTransitionTime = DateTimeOffset.UtcNow }],
        };
        await h.Client.UpdateStatusAsync(ready);

        await Eventually.TrueAsync(() =>
        {
            var status = h.Client.GetAsync<MiniKube.Api.Apps.ReplicaSet>(ns, "web").Result.Status;
            return status is { Replicas: 2, FullyLabeledReplicas: 2, ReadyReplicas: 1, AvailableReplicas: 1, ObservedGeneration: 1 };
        }, "status with one ready pod");
    }

    [Fact]
    public async Task Kubectl_describe_shows_the_first_SuccessfulCreate_events_and_their_aggregate_with_its_count()
    {
        var ns = await cluster.NewNamespaceAsync("rs");
        await using var h = new Harness(cluster);
        var controller = new ReplicaSetController(h.Client, h.Informers, h.Events, h.Time);
        await h.StartAsync(controller);
        await h.Client.CreateAsync(Objects.ReplicaSet(ns, "web", 12, Labels));
        await WaitForPodsAsync(h, ns, 12);

        // Nine events name their pod; the tenth to twelfth are one aggregate event counted to 3 (client-go's correlator).
        var kubeconfig = cluster.WriteKubeconfig(ns);
        try
        {
            ProcessResult describe = new(-1, "", "");
            await Eventually.TrueAsync(
                () => (describe = ProcessRunner.RunAsync("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "describe", "replicaset", "web"]).Result)
                    .StandardOutput.Contains("(x3 over", StringComparison.Ordinal),
                "the aggregate SuccessfulCreate event counted to 3",
                TimeSpan.FromSeconds(30));
            var successfulCreates = describe.StandardOutput.Split('\n').Where(l => l.Contains("SuccessfulCreate", StringComparison.Ordinal)).ToList();
            Assert.True(successfulCreates.Count == 10, describe.ToString());
            Assert.Single(successfulCreates, l => l.Contains("(x3 over", StringComparison.Ordinal) && l.Contains("(combined from similar events): Created pod: web-", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static async Task<List<Pod>> ActivePodsAsync(Harness h, string ns) =>
        [.. (await h.Client.ListAsync<Pod>(ns)).Items.Where(p => p.Metadata!.DeletionTimestamp is null)];

    private static async Task<List<Pod>> WaitForPodsAsync(Harness h, string ns, int count)
    {
        List<Pod> pods = [];
        await Eventually.TrueAsync(() => (pods = ActivePodsAsync(h, ns).Result).Count == count, $"{count} pods");
        return pods;
    }
}
