using MiniKube.Scheduler.Cache;
using MiniKube.Scheduler.Framework;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Cache;

public sealed class SchedulerCacheTests
{
    private readonly SchedulerCache _cache = new();

    public SchedulerCacheTests()
    {
        _cache.AddNode(Node("a", cpu: "4", memory: "8Gi"));
        _cache.AddNode(Node("b", cpu: "4", memory: "8Gi"));
    }

    [Fact]
    public void An_assumed_pod_takes_room_on_its_node_at_once()
    {
        var assumed = new PodInfo(Pod("p", cpu: "1", memory: "1Gi")).AssumedOn("a");

        _cache.AssumePod(assumed);

        var node = _cache.GetNode("a")!;
        Assert.Equal(new Resource(1000, 1L << 30), node.Requested);
        Assert.Equal(1, node.PodCount);
        Assert.True(_cache.IsAssumedPod("default/p"));
        Assert.Equal(0, _cache.GetNode("b")!.PodCount);
    }

    [Fact]
    public void Forgetting_an_assumed_pod_gives_the_room_back()
    {
        var assumed = new PodInfo(Pod("p", cpu: "1", memory: "1Gi")).AssumedOn("a");
        _cache.AssumePod(assumed);

        _cache.ForgetPod(assumed);

        Assert.Equal(default, _cache.GetNode("a")!.Requested);
        Assert.Equal(0, _cache.GetNode("a")!.PodCount);
        Assert.False(_cache.IsAssumedPod("default/p"));
        Assert.Null(_cache.NodeOf("default/p"));
    }

    [Fact]
    public void The_informers_bound_pod_confirms_the_assumption_without_counting_it_twice()
    {
        var pod = Pod("p", cpu: "1", memory: "1Gi");
        _cache.AssumePod(new PodInfo(pod).AssumedOn("a"));

        _cache.AddPod(Pod("p", cpu: "1", memory: "1Gi", nodeName: "a"));

        Assert.False(_cache.IsAssumedPod("default/p"));
        Assert.Equal(1, _cache.GetNode("a")!.PodCount);
        Assert.Equal(new Resource(1000, 1L << 30), _cache.GetNode("a")!.Requested);
        // A later forget (a stale failure report) must not remove the confirmed pod.
        _cache.ForgetPod(new PodInfo(pod).AssumedOn("a"));
        Assert.Equal(1, _cache.GetNode("a")!.PodCount);
    }

    [Fact]
    public void A_confirmation_on_another_node_moves_the_pod_there()
    {
        _cache.AssumePod(new PodInfo(Pod("p", cpu: "1")).AssumedOn("a"));

        _cache.AddPod(Pod("p", cpu: "1", nodeName: "b"));

        Assert.Equal(0, _cache.GetNode("a")!.PodCount);
        Assert.Equal(1000, _cache.GetNode("b")!.Requested.MilliCpu);
    }

    [Fact]
    public void Removing_a_pod_frees_its_node_and_assuming_twice_is_an_error()
    {
        var assumed = new PodInfo(Pod("p", cpu: "2")).AssumedOn("a");
        _cache.AssumePod(assumed);
        Assert.Throws<InvalidOperationException>(() => _cache.AssumePod(assumed));

        _cache.RemovePod(Pod("p", nodeName: "a"));

        Assert.Equal(0, _cache.GetNode("a")!.PodCount);
        Assert.Equal(0, _cache.GetNode("a")!.Requested.MilliCpu);
    }

    [Fact]
    public void A_pod_seen_before_its_node_is_counted_once_the_node_arrives()
    {
        _cache.AddPod(Pod("early", cpu: "1", nodeName: "c"));
        Assert.Equal(2, _cache.NodeCount);

        _cache.AddNode(Node("c"));

        Assert.Equal(3, _cache.NodeCount);
        Assert.Equal(1000, _cache.GetNode("c")!.Requested.MilliCpu);
    }

    [Fact]
    public void A_removed_node_leaves_the_node_list()
    {
        _cache.RemoveNode(Node("a"));

        lock (_cache.Lock)
        {
            Assert.Equal(["b"], _cache.NodeListLocked().Select(n => n.Name));
        }
    }
}
