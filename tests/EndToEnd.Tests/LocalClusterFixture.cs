namespace MiniKube.EndToEnd.Tests;

/// <summary>The cluster most tests share: one store member (fast to start), three nodes, and a node monitor grace
/// period short enough that a dead node agent's pods move within seconds.</summary>
public sealed class LocalClusterFixture : ClusterFixture
{
    protected override IReadOnlyList<string> UpArguments => ["--members", "1", "--nodes", Nodes.ToString(), "--node-monitor-grace-period", "8s"];
}
