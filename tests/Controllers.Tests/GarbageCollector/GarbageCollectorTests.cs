using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Controllers.ReplicaSets;
using MiniKube.Testing;
using MiniKube.Testing.Cluster;
using Rs = MiniKube.Api.Apps.ReplicaSet;

namespace MiniKube.Controllers.Tests.GarbageCollector;

/// <summary>`kubectl delete deployment --cascade=…` against the garbage collector and the ReplicaSet controller
/// (the Deployment is written by hand: its controller is not part of this project's branch).</summary>
public sealed class GarbageCollectorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web" };

    [Theory]
    [InlineData("background")]
    [InlineData("foreground")]
    public async Task Deleting_a_deployment_deletes_its_replicasets_and_their_pods_when_cascade_is(string cascade)
    {
        var (h, ns, _, _) = await StartAsync();
        await using var harness = h;

        var result = await KubectlAsync(ns, "delete", "deployment", "web", $"--cascade={cascade}", "--wait=false");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("deployment.apps \"web\" deleted", result.StandardOutput, StringComparison.Ordinal);

        if (cascade == "foreground")
        {
            // The owner waits, with its finalizer, for its blocking dependents to go.
            var waiting = await h.Client.GetAsync<Deployment>(ns, "web");
            Assert.NotNull(waiting.Metadata!.DeletionTimestamp);
            Assert.Contains("foregroundDeletion", waiting.Metadata.Finalizers!);
        }

        await Eventually.TrueAsync(() =>
            h.Client.ListAsync<Pod>(ns).Result.Items.Count == 0
            && h.Client.ListAsync<Rs>(ns).Result.Items.Count == 0
            && h.Client.ListAsync<Deployment>(ns).Result.Items.Count == 0, "the deployment, its replicaset and their pods gone", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Deleting_a_deployment_with_cascade_orphan_keeps_its_replicaset_without_the_owner_reference()
    {
        var (h, ns, _, rs) = await StartAsync();
        await using var harness = h;

        var result = await KubectlAsync(ns, "delete", "deployment", "web", "--cascade=orphan", "--wait=false");
        Assert.True(result.ExitCode == 0, result.ToString());

        await Eventually.TrueAsync(() => h.Client.ListAsync<Deployment>(ns).Result.Items.Count == 0, "the deployment gone", TimeSpan.FromSeconds(30));
        var kept = await h.Client.GetAsync<Rs>(ns, "web-abc");
        Assert.Equal(rs.Metadata!.Uid, kept.Metadata!.Uid);
        Assert.True(kept.Metadata.OwnerReferences is null or { Count: 0 }, "the replicaset still names its deleted owner");
        Assert.Null(kept.Metadata.DeletionTimestamp);
        var pods = (await h.Client.ListAsync<Pod>(ns)).Items;
        Assert.Equal(2, pods.Count(p => p.Metadata!.DeletionTimestamp is null));
        Assert.All(pods, p => Assert.Equal(rs.Metadata.Uid, p.Metadata!.OwnerReferences![0].Uid));
    }

    [Fact]
    public async Task An_object_whose_owner_is_already_gone_is_deleted_when_the_collector_starts()
    {
        var ns = await cluster.NewNamespaceAsync("gc");
        await using var h = new Harness(cluster);
        var missingOwner = new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "gone", Uid = Guid.NewGuid().ToString() };
        await h.Client.CreateAsync(Objects.Pod(ns, "dangling", Labels, [missingOwner]));
        await h.Client.CreateAsync(Objects.Pod(ns, "ownerless", Labels));
        var gc = new MiniKube.Controllers.GarbageCollector.GarbageCollector(h.Client, h.Informers, h.Time);
        await h.StartAsync(gc);

        await Eventually.TrueAsync(() => h.Client.ListAsync<Pod>(ns).Result.Items.All(p => p.Metadata!.Name != "dangling"), "the dangling pod deleted");
        Assert.Single((await h.Client.ListAsync<Pod>(ns)).Items, p => p.Metadata!.Name == "ownerless");
    }

    private async Task<(Harness, string, Deployment, Rs)> StartAsync()
    {
        var ns = await cluster.NewNamespaceAsync("gc");
        var h = new Harness(cluster);
        var gc = new MiniKube.Controllers.GarbageCollector.GarbageCollector(h.Client, h.Informers, h.Time);
        var rsController = new ReplicaSetController(h.Client, h.Informers, h.Events, h.Time);
        await h.StartAsync(gc, rsController);
        var deployment = await h.Client.CreateAsync(new Deployment
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = ns },
            Spec = new DeploymentSpec
            {
                Replicas = 2,
                Selector = new LabelSelector { MatchLabels = Labels },
                Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = Labels }, Spec = Objects.PodSpec() },
            },
        });
        var template = Objects.ReplicaSet(ns, "web-abc", 2, Labels);
        template.Metadata!.OwnerReferences = [Objects.OwnerRef(deployment, "apps/v1", "Deployment")];
        var rs = await h.Client.CreateAsync(template);
        await Eventually.TrueAsync(() => h.Client.ListAsync<Pod>(ns).Result.Items.Count == 2, "the replicaset's 2 pods");
        await Eventually.TrueAsync(() => gc.DependentsOf(rs.Metadata!.Uid!).Count == 2 && gc.DependentsOf(deployment.Metadata!.Uid!).Count == 1,
            "the graph to hold deployment → replicaset → pods");
        return (h, ns, deployment, rs);
    }

    private Task<ProcessResult> KubectlAsync(string ns, params string[] args) =>
        ProcessRunner.RunAsync("/usr/bin/kubectl", ["--kubeconfig", cluster.WriteKubeconfig(ns), "-n", ns, .. args], timeout: TimeSpan.FromSeconds(30));
}
