using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;
using MiniKube.Scheduler.Plugins;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Plugins;

public sealed class NodeUnschedulableTests
{
    [Fact]
    public void Filter_rejects_a_cordoned_node_unless_the_pod_tolerates_the_unschedulable_taint()
    {
        var plugin = new NodeUnschedulable();
        var cordoned = NodeInfo(Node("n", unschedulable: true));
        var tolerant = Pod("t");
        tolerant.Spec!.Tolerations = [new Toleration { Key = "node.kubernetes.io/unschedulable", Operator = "Exists", Effect = "NoSchedule" }];

        Assert.Equal(["node(s) were unschedulable"], plugin.Filter(new PodInfo(Pod("p")), cordoned));
        Assert.Null(plugin.Filter(new PodInfo(tolerant), cordoned));
        Assert.Null(plugin.Filter(new PodInfo(Pod("p")), NodeInfo(Node("m"))));
    }

    [Fact]
    public void NodeName_filter_fits_only_the_named_node()
    {
        var plugin = new NodeName();
        var pod = new PodInfo(Pod("p", nodeName: "b"));

        Assert.Null(plugin.Filter(pod, NodeInfo(Node("b"))));
        Assert.Equal(["node(s) didn't match the requested node name"], plugin.Filter(pod, NodeInfo(Node("a"))));
        Assert.Null(plugin.Filter(new PodInfo(Pod("q")), NodeInfo(Node("a"))));
    }
}
