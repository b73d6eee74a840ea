using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

using MiniKube.Testing.Cluster;

namespace MiniKube.Client.Tests.Integration;

public sealed class KubeClientTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    internal static ConfigMap ConfigMap(string ns, string name, string value, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    internal static Deployment Deployment(string ns, string name, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new PodSpec { Containers = [new Container { Name = "web", Image = "nginx:1.27" }] },
            },
        },
    };

    [Fact]
    public async Task Create_get_update_list_and_delete_round_trip_through_the_apiserver()
    {
        var ns = await cluster.NewNamespaceAsync("crud");
        using var client = cluster.NewClient();

        var created = await client.CreateAsync(ConfigMap(ns, "a", "1", new() { ["tier"] = "x" }));
        await client.CreateAsync(ConfigMap(ns, "b", "2", new() { ["tier"] = "y" }));
        Assert.False(string.IsNullOrEmpty(created.Metadata?.ResourceVersion));
        Assert.False(string.IsNullOrEmpty(created.Metadata?.Uid));

        var got = await client.GetAsync<ConfigMap>(ns, "a");
        got.Data!["value"] = "changed";
        var updated = await client.UpdateAsync(got);
        Assert.Equal("changed", (await client.GetAsync<ConfigMap>(ns, "a")).Data!["value"]);
        Assert.NotEqual(created.Metadata!.ResourceVersion, updated.Metadata!.ResourceVersion);

        var all = await client.ListAsync<ConfigMap>(ns);
        var selected = await client.ListAsync<ConfigMap>(ns, new ListOptions { LabelSelector = "tier=y" });
        var byField = await client.ListAsync<ConfigMap>(ns, new ListOptions { FieldSelector = "metadata.name=a" });
        Assert.Equal(["a", "b"], all.Items.Select(c => c.Metadata!.Name!).Order());
        Assert.Equal(["b"], selected.Items.Select(c => c.Metadata!.Name!));
        Assert.Equal(["a"], byField.Items.Select(c => c.Metadata!.Name!));

        var firstPage = await client.ListAsync<ConfigMap>(ns, new ListOptions { Limit = 1 });
        Assert.Single(firstPage.Items);
        Assert.NotNull(firstPage.Continue);
        var secondPage = await client.ListAsync<ConfigMap>(ns, new ListOptions { Limit = 1, Continue = firstPage.Continue });
        Assert.NotEqual(firstPage.Items[0].Metadata!.Name, Assert.Single(secondPage.Items).Metadata!.Name);

        await client.DeleteAsync<ConfigMap>(ns, "a");
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync<ConfigMap>(ns, "a"));
        Assert.True(e.IsNotFound, e.Message);
        Assert.Equal(404, e.Code);
        Assert.Contains("\"a\" not found", e.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_a_conflict_and_create_twice_already_exists()
    {
        var ns = await cluster.NewNamespaceAsync("cas");
        using var client = cluster.NewClient();
        var v1 = await client.CreateAsync(ConfigMap(ns, "c", "1"));
        var copy = await client.GetAsync<ConfigMap>(ns, "c");
        copy.Data!["value"] = "2";
        await client.UpdateAsync(copy);

        v1.Data!["value"] = "stale";
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => client.UpdateAsync(v1));
        var exists = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(ConfigMap(ns, "c", "again")));

        Assert.True(conflict.IsConflict && conflict.Code == 409, conflict.Message);
        Assert.True(exists.IsAlreadyExists && !exists.IsConflict, exists.Message);
        Assert.Equal("2", (await client.GetAsync<ConfigMap>(ns, "c")).Data!["value"]);
    }

    [Fact]
    public async Task Patch_scale_and_status_change_what_the_apiserver_stores()
    {
        var ns = await cluster.NewNamespaceAsync("sub");
        using var client = cluster.NewClient();
        await client.CreateAsync(Deployment(ns, "web", 1));

        var patched = await client.PatchAsync<Deployment>(ns, "web", PatchType.Merge, """{"metadata":{"labels":{"patched":"yes"}}}""");
        var scale = await client.ScaleAsync<Deployment>(ns, "web", 4);
        var strategic = await client.PatchAsync<Deployment>(ns, "web", PatchType.StrategicMerge,
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}""");
        var withStatus = await client.GetAsync<Deployment>(ns, "web");
        withStatus.Status = new DeploymentStatus { ObservedGeneration = 7, Replicas = 3 };
        await client.UpdateStatusAsync(withStatus);

        var now = await client.GetAsync<Deployment>(ns, "web");
        Assert.Equal("yes", patched.Metadata!.Labels!["patched"]);
        Assert.Equal(4, scale.Spec!.Replicas);
        Assert.Equal(4, now.Spec!.Replicas);
        Assert.Equal("nginx:1.28", Assert.Single(strategic.Spec!.Template!.Spec!.Containers!).Image);
        Assert.Equal((7L, 3), (now.Status!.ObservedGeneration!.Value, now.Status.Replicas!.Value));
    }

    [Fact]
    public async Task Bind_sets_the_pods_node()
    {
        var ns = await cluster.NewNamespaceAsync("bind");
        using var client = cluster.NewClient();
        await client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = ns },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        });
        await client.BindAsync(ns, "p", "node-1");
        Assert.Equal("node-1", (await client.GetAsync<Pod>(ns, "p")).Spec!.NodeName);
    }

    [Fact]
    public async Task Watch_streams_added_modified_and_deleted_events_from_a_resourceVersion()
    {
        var ns = await cluster.NewNamespaceAsync("watch");
        using var client = cluster.NewClient();
        var list = await client.ListAsync<ConfigMap>(ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in client.WatchAsync<ConfigMap>(ns, new ListOptions { ResourceVersion = list.ResourceVersion }, cts.Token))
            {
                events.Add((e.Type, e.Object?.Data?["value"] ?? ""));
                if (e.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cts.Token);

        var cm = await client.CreateAsync(ConfigMap(ns, "w", "1"));
        cm.Data!["value"] = "2";
        await client.UpdateAsync(cm);
        await client.DeleteAsync<ConfigMap>(ns, "w");
        await watching;

        Assert.Equal([(WatchEventType.Added, "1"), (WatchEventType.Modified, "2"), (WatchEventType.Deleted, "2")], events);
    }
}
