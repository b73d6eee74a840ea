using MiniKube.Cli.Cluster;

namespace MiniKube.EndToEnd.Tests;

[Collection(LocalClusterCollection.Name)]
public sealed class ClusterLifecycleTests(LocalClusterFixture cluster)
{
    [EndToEndFact]
    public async Task Up_reports_every_component_healthy_and_down_then_up_keeps_data_and_ports()
    {
        Assert.True(cluster.Up!.ExitCode == 0, cluster.Up.ToString());
        var status = await cluster.MkctlAsync("status");
        var nodes = await cluster.KubectlAsync("get", "nodes", "--no-headers");
        var ns = await cluster.NewNamespaceAsync("keep");
        var create = await cluster.KubectlAsync("create", "configmap", "kept", "--from-literal=answer=42", "-n", ns);
        var before = cluster.State;

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("store leader: store-1", status.StandardOutput);
        Assert.Contains($"{LocalClusterFixture.Nodes}/{LocalClusterFixture.Nodes} nodes Ready", status.StandardOutput);
        Assert.Equal(LocalClusterFixture.Nodes, nodes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(" Ready ", StringComparison.Ordinal)));
        Assert.True(create.ExitCode == 0, create.ToString());

        var down = await cluster.MkctlAsync("down");
        var stopped = await cluster.MkctlAsync("status");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal(1, stopped.ExitCode);
        Assert.All(before.Components, c => Assert.False(ComponentProcess.IsRunning(c.Pid, c.Kind), $"{c.Name} runs after down"));

        var up = await cluster.MkctlAsync(TimeSpan.FromMinutes(4), "up", "--wait", "3m");
        var kept = await cluster.KubectlAsync("get", "configmap", "kept", "-n", ns, "-o", "jsonpath={.data.answer}");
        var after = cluster.State;

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal((0, "42"), (kept.ExitCode, kept.StandardOutput.Trim()));
        Assert.Equal(before.Components.Select(c => (c.Name, c.Port, c.PeerPort)), after.Components.Select(c => (c.Name, c.Port, c.PeerPort)));
    }

    [EndToEndFact]
    public async Task Mkctl_etcd_reaches_the_clusters_store_through_dir()
    {
        var keys = await cluster.MkctlAsync("etcd", "get", "/registry/namespaces/", "--prefix", "--keys-only");

        Assert.True(keys.ExitCode == 0, keys.ToString());
        Assert.Contains("/registry/namespaces/kube-system", keys.StandardOutput);
    }
}
