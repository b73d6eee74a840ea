using MiniKube.Scheduler.Framework;
using MiniKube.Scheduler.Plugins;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Plugins;

public sealed class SelectorSpreadTests
{
    [Fact]
    public void Score_prefers_nodes_with_fewer_pods_of_the_same_owner()
    {
        var plugin = new SelectorSpread();
        var a = NodeInfo(Node("a"), Pod("s1", ownerUid: "rs-1"), Pod("s2", ownerUid: "rs-1"), Pod("o1", ownerUid: "rs-2"));
        var b = NodeInfo(Node("b"), Pod("s3", ownerUid: "rs-1"), Pod("o2", ownerUid: "rs-2"), Pod("o3", ownerUid: "rs-2"));
        var c = NodeInfo(Node("c"), Pod("o4", ownerUid: "rs-2"));
        var pod = new PodInfo(Pod("new", ownerUid: "rs-1"));

        long[] scores = [plugin.Score(pod, a), plugin.Score(pod, b), plugin.Score(pod, c)];
        Assert.Equal([2L, 1, 0], scores);
        plugin.Normalize(pod, scores);

        Assert.Equal([0L, 50, 100], scores);
    }

    [Fact]
    public void Pods_without_an_owner_are_siblings_when_their_labels_and_namespace_are_equal()
    {
        var node = NodeInfo(Node("a"), Pod("x", labels: new() { ["app"] = "web" }), Pod("y", ns: "other", labels: new() { ["app"] = "web" }));

        Assert.Equal(1, new SelectorSpread().Score(new PodInfo(Pod("z", labels: new() { ["app"] = "web" })), node));
        Assert.Equal(0, new SelectorSpread().Score(new PodInfo(Pod("z")), node));
    }
}
