using System.Text.Json.Nodes;
using MiniKube.Api.Resources;

namespace MiniKube.EndToEnd.Tests;

/// <summary>The issue's Deployment scenarios, driven by mkctl and the real kubectl against the processes of mkctl up.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class DeploymentTests(LocalClusterFixture cluster)
{
    [EndToEndFact]
    public async Task Deployment_runs_three_pods_on_nodes_then_scales_to_ten_and_back_to_two()
    {
        var ns = await cluster.NewNamespaceAsync("scale");
        using var client = cluster.NewClient(ns);
        var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("web", 3, "nginx:1.27")), "-n", ns);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var three = await E2e.WaitRunningAsync(client, ns, "app=web", 3);
        Assert.All(three, p => Assert.StartsWith("node-", E2e.NodeName(p)));

        var up = await cluster.KubectlAsync("scale", "deployment/web", "--replicas=10", "-n", ns);
        Assert.True(up.ExitCode == 0, up.ToString());
        await E2e.WaitRunningAsync(client, ns, "app=web", 10);

        var down = await cluster.MkctlAsync("scale", "deployment/web", "--replicas", "2", "-n", ns);
        Assert.True(down.ExitCode == 0, down.ToString());
        var two = await E2e.WaitRunningAsync(client, ns, "app=web", 2);
        await E2e.WaitAsync(async () => (await E2e.PodsAsync(client, ns, "app=web")).Count == 2, async () => E2e.Summary(await E2e.PodsAsync(client, ns, "app=web")), TimeSpan.FromSeconds(60));
        Assert.Equal(2, two.Count);
    }

    [EndToEndFact]
    public async Task Image_change_rolls_out_within_surge_and_unavailable_bounds_and_undo_restores_the_template()
    {
        const int replicas = 4;
        const int maxSurge = 1;
        const int maxUnavailable = 1;
        var ns = await cluster.NewNamespaceAsync("roll");
        using var client = cluster.NewClient(ns);
        var strategy = $"  strategy:\n    rollingUpdate:\n      maxSurge: {maxSurge}\n      maxUnavailable: {maxUnavailable}\n";
        var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("web", replicas, "nginx:1.26", extraSpec: strategy)), "-n", ns);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await E2e.WaitRunningAsync(client, ns, "app=web", replicas);

        // Every pod event of the rollout, replayed into the set of live pods; the bounds hold after each one.
        var pods = new Dictionary<string, JsonObject>();
        foreach (var p in await E2e.PodsAsync(client, ns, "app=web"))
        {
            pods[(string)p["metadata"]!["name"]!] = p;
        }

        var list = await client.ListAsync(ApiResources.Pods, ns, new MiniKube.Client.ListOptions { LabelSelector = "app=web" });
        var violations = new List<string>();
        var (maxPods, minAvailable) = (0, int.MaxValue);
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in client.WatchAsync(ApiResources.Pods, ns, new MiniKube.Client.ListOptions { LabelSelector = "app=web", ResourceVersion = (string?)list["metadata"]!["resourceVersion"] }, stop.Token))
                {
                    if (e.Object is not JsonObject pod || pod["metadata"]?["name"] is null)
                    {
                        continue;
                    }

                    var name = (string)pod["metadata"]!["name"]!;
                    if (e.Type == "DELETED" || E2e.Terminating(pod))
                    {
                        pods.Remove(name);
                    }
                    else
                    {
                        pods[name] = pod;
                    }

                    var available = pods.Values.Count(E2e.Ready);
                    maxPods = Math.Max(maxPods, pods.Count);
                    minAvailable = Math.Min(minAvailable, available);
                    if (pods.Count > replicas + maxSurge || available < replicas - maxUnavailable)
                    {
                        violations.Add($"{e.Type} {name}: {pods.Count} pods, {available} available: {E2e.Summary(pods.Values)}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var image = await cluster.KubectlAsync("set", "image", "deployment/web", "main=nginx:1.27", "-n", ns);
        Assert.True(image.ExitCode == 0, image.ToString());
        var status = await cluster.MkctlAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout", "120s");
        await E2e.WaitRunningAsync(client, ns, "app=web", replicas, where: p => (string?)p["spec"]!["containers"]![0]!["image"] == "nginx:1.27");
        await stop.CancelAsync();
        await watching;

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.EndsWith("deployment \"web\" successfully rolled out\n", status.StandardOutput);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(maxPods >= replicas, $"the watch saw at most {maxPods} pods");

        var history = await cluster.MkctlAsync("rollout", "history", "deployment/web", "-n", ns);
        var undo = await cluster.KubectlAsync("rollout", "undo", "deployment/web", "-n", ns);
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Contains("1          <none>\n2          <none>", history.StandardOutput);
        var deployment = await client.GetAsync(ApiResources.Deployments, ns, "web");
        Assert.Equal("nginx:1.26", (string?)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        await E2e.WaitRunningAsync(client, ns, "app=web", replicas, where: p => (string?)p["spec"]!["containers"]![0]!["image"] == "nginx:1.26");
    }

    [EndToEndFact]
    public async Task Deleting_a_deployment_removes_its_replica_sets_and_pods()
    {
        var ns = await cluster.NewNamespaceAsync("delete");
        using var client = cluster.NewClient(ns);
        var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("web", 3, "nginx:1.27")), "-n", ns);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await E2e.WaitRunningAsync(client, ns, "app=web", 3);

        var delete = await cluster.KubectlAsync("delete", "deployment", "web", "-n", ns);

        Assert.True(delete.ExitCode == 0, delete.ToString());
        await E2e.WaitAsync(
            async () => (await client.ListAsync(ApiResources.ReplicaSets, ns))["items"]!.AsArray().Count == 0 && (await E2e.PodsAsync(client, ns, "app=web")).Count == 0,
            async () => $"replica sets: {(await client.ListAsync(ApiResources.ReplicaSets, ns))["items"]!.AsArray().Count}, pods: {E2e.Summary(await E2e.PodsAsync(client, ns, "app=web"))}",
            TimeSpan.FromSeconds(60));
    }
}
