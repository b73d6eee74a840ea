using System.Text.Json.Nodes;
using MiniKube.Api.Resources;

namespace MiniKube.EndToEnd.Tests;

[Collection(LocalClusterCollection.Name)]
public sealed class SchedulingTests(LocalClusterFixture cluster)
{
    [EndToEndFact]
    public async Task A_pod_that_fits_no_node_stays_pending_with_the_reason_and_schedules_once_a_node_with_room_appears()
    {
        var ns = await cluster.NewNamespaceAsync("fit");
        using var client = cluster.NewClient(ns);
        var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("hog", 1, "nginx:1.27", resources: "cpu: \"64\"")), "-n", ns);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        JsonObject? pod = null;
        await E2e.WaitAsync(
            async () =>
            {
                pod = (await E2e.PodsAsync(client, ns, "app=hog")).FirstOrDefault();
                return pod is not null && E2e.Condition(pod, "PodScheduled") is { } c && (string?)c["status"] == "False";
            },
            async () => $"PodScheduled=False; pods: {E2e.Summary(await E2e.PodsAsync(client, ns, "app=hog"))}",
            TimeSpan.FromSeconds(60));
        var scheduled = E2e.Condition(pod!, "PodScheduled")!;
        Assert.Equal("Unschedulable", (string?)scheduled["reason"]);
        Assert.Contains("Insufficient cpu", (string?)scheduled["message"]);
        Assert.Equal("Pending", E2e.Phase(pod!));
        Assert.Null(E2e.NodeName(pod!));
        var describe = await cluster.KubectlAsync("describe", "pod", (string)pod!["metadata"]!["name"]!, "-n", ns);
        Assert.Contains("FailedScheduling", describe.StandardOutput);

        // A node with room, registered by hand (no agent runs it: being bound to it is what counts here).
        var node = $"big-{Guid.NewGuid():N}"[..12];
        using var admin = cluster.NewClient();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var created = await admin.CreateAsync(ApiResources.Nodes, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = node, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = node } },
        });
        created["status"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["cpu"] = "128", ["memory"] = "256Gi", ["pods"] = "110" },
            ["allocatable"] = new JsonObject { ["cpu"] = "128", ["memory"] = "256Gi", ["pods"] = "110" },
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = "True",
                ["reason"] = "KubeletReady",
                ["lastHeartbeatTime"] = now,
                ["lastTransitionTime"] = now,
            }),
        };
        await admin.UpdateAsync(ApiResources.Nodes, null, created, "status");
        try
        {
            await E2e.WaitAsync(
                async () => (await E2e.PodsAsync(client, ns, "app=hog")).Any(p => E2e.NodeName(p) == node),
                async () => $"the pod bound to {node}; pods: {E2e.Summary(await E2e.PodsAsync(client, ns, "app=hog"))}",
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            await cluster.KubectlAsync("delete", "namespace", ns, "--wait=false");
            await cluster.KubectlAsync("delete", "node", node, "--ignore-not-found");
        }
    }
}
