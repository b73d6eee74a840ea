using MiniKube.Cli.Cluster;

namespace MiniKube.Cli.Tests.Cluster;

public sealed class PodCidrArgumentsTests
{
    [Theory]
    [InlineData(3, null)]
    [InlineData(256, null)] // the node agent's own /16 holds 256 nodes' /24s
    [InlineData(257, "10.0.0.0/8")]
    [InlineData(1000, "10.0.0.0/8")]
    public void Node_agent_gets_a_pod_cidr_only_when_its_default_cannot_hold_the_nodes(int nodes, string? expected)
    {
        var next = 30000;
        var state = ClusterState.New(1, nodes, "simulated", () => next++);

        var args = ComponentArguments.For(state.Components.Single(c => c.Kind == ClusterState.NodeAgentKind), state, new ClusterDirectory("/tmp/mk-cidr")).ToList();

        var i = args.IndexOf("--pod-cidr");
        Assert.Equal(expected, i < 0 ? null : args[i + 1]);
    }
}
