using MiniKube.Cli.Cluster;

namespace MiniKube.EndToEnd.Tests;

[Collection(LocalClusterCollection.Name)]
public sealed class NodeFailureTests(LocalClusterFixture cluster)
{
    /// <summary>Pods leave an unreachable node at once instead of after the default 300 s.</summary>
    private const string Tolerations = """
              tolerations:
              - key: node.kubernetes.io/unreachable
                operator: Exists
                effect: NoExecute
                tolerationSeconds: 0
              - key: node.kubernetes.io/not-ready
                operator: Exists
                effect: NoExecute
                tolerationSeconds: 0

        """;

    [EndToEndFact]
    public async Task Killing_a_node_agent_replaces_its_pods_on_the_other_agents_nodes()
    {
        var ns = await cluster.NewNamespaceAsync("nodes");
        using var client = cluster.NewClient(ns);
        var dir = new ClusterDirectory(cluster.Dir);
        var extra = ComponentProcess.Start(
            ["node-agent", "--kubeconfig", cluster.Kubeconfig, "--nodes", "2", "--node-name-prefix", "extra-", "--port", "0"], dir.LogPath("extra-node-agent"));
        try
        {
            await E2e.WaitAsync(
                async () => await ClusterProbes.ReadyNodesAsync(cluster.State.ApiServerUrl, "extra-", default) == 2,
                () => Task.FromResult($"2 extra nodes Ready; the agent's log: {ComponentProcess.Tail(dir.LogPath("extra-node-agent"), 20)}"),
                TimeSpan.FromSeconds(60));
            var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("spread", 6, "nginx:1.27", extraPodSpec: Tolerations.Replace("\r", ""))), "-n", ns);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            var before = await E2e.WaitRunningAsync(client, ns, "app=spread", 6);

            // The agent that hosts pods dies; when that is mkctl up's own agent, up brings it back afterwards.
            var onExtra = before.Any(p => E2e.NodeName(p)!.StartsWith("extra-", StringComparison.Ordinal));
            var victimPid = onExtra ? extra.Id : cluster.State.Components.Single(c => c.Kind == ClusterState.NodeAgentKind).Pid!.Value;
            var victimPrefix = onExtra ? "extra-" : "node-";
            await ComponentProcess.StopAsync(victimPid, ClusterState.NodeAgentKind, TimeSpan.Zero, default);

            var after = await E2e.WaitRunningAsync(client, ns, "app=spread", 6, TimeSpan.FromSeconds(120), p => !E2e.NodeName(p)!.StartsWith(victimPrefix, StringComparison.Ordinal));
            // The pods of the dead agent's nodes were replaced; the others ran on where they were.
            var lost = before.Where(b => E2e.NodeName(b)!.StartsWith(victimPrefix, StringComparison.Ordinal)).Select(b => b["metadata"]!["name"]!.ToString()).ToList();
            Assert.NotEmpty(lost);
            Assert.All(after, p => Assert.DoesNotContain(p["metadata"]!["name"]!.ToString(), lost));
        }
        finally
        {
            if (ComponentProcess.IsRunning(extra.Id, ClusterState.NodeAgentKind))
            {
                await ComponentProcess.StopAsync(extra.Id, ClusterState.NodeAgentKind, TimeSpan.FromSeconds(5), default);
            }

            await cluster.KubectlAsync("delete", "node", "extra-1", "extra-2", "--ignore-not-found");
            await cluster.KubectlAsync("delete", "namespace", ns, "--wait=false");
            var up = await cluster.MkctlAsync(TimeSpan.FromMinutes(4), "up", "--wait", "3m");
            Assert.True(up.ExitCode == 0, up.ToString());
        }
    }
}
