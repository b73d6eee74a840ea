using MiniKube.Scheduler.Framework;
using MiniKube.Scheduler.Plugins;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Plugins;

public sealed class NodeResourcesFitTests
{
    private readonly NodeResourcesFit _plugin = new();

    [Theory]
    [InlineData("500m", "1Gi", null)]
    [InlineData("1500m", "1Gi", "Insufficient cpu")]
    [InlineData("500m", "3Gi", "Insufficient memory")]
    [InlineData("1500m", "3Gi", "Insufficient cpu|Insufficient memory")]
    [InlineData("1", "2Gi", null)]
    public void Filter_reports_what_does_not_fit_when_the_node_is_partly_used(string cpu, string memory, string? expected)
    {
        // 2 cpu / 4Gi, of which 1 cpu / 2Gi is taken.
        var node = NodeInfo(Node("n", cpu: "2", memory: "4Gi"), Pod("used", cpu: "1", memory: "2Gi"));

        var reasons = _plugin.Filter(new PodInfo(Pod("p", cpu, memory)), node);

        Assert.Equal(expected, reasons is null ? null : string.Join('|', reasons));
    }

    [Fact]
    public void Filter_says_too_many_pods_when_the_pod_count_is_at_allocatable()
    {
        var node = NodeInfo(Node("n", pods: 2), Pod("a"), Pod("b"));

        Assert.Equal(["Too many pods"], _plugin.Filter(new PodInfo(Pod("p")), node));
        Assert.Null(_plugin.Filter(new PodInfo(Pod("p")), NodeInfo(Node("m", pods: 3), Pod("a"), Pod("b"))));
    }

    [Fact]
    public void Filter_lets_a_pod_without_requests_onto_a_full_node()
    {
        var node = NodeInfo(Node("n", cpu: "1", memory: "1Gi"), Pod("used", cpu: "1", memory: "1Gi"));

        Assert.Null(_plugin.Filter(new PodInfo(Pod("p")), node));
    }

    [Fact]
    public void Score_prefers_the_least_allocated_node()
    {
        var empty = NodeInfo(Node("empty", cpu: "4", memory: "8Gi"));
        var half = NodeInfo(Node("half", cpu: "4", memory: "8Gi"), Pod("used", cpu: "2", memory: "4Gi"));
        var pod = new PodInfo(Pod("p", cpu: "1", memory: "2Gi"));

        // empty: cpu (4-1)/4 = 75, memory (8-2)/8 = 75; half: cpu (4-3)/4 = 25, memory 25.
        Assert.Equal(75, _plugin.Score(pod, empty));
        Assert.Equal(25, _plugin.Score(pod, half));
    }

    [Fact]
    public void Score_counts_default_requests_for_a_pod_that_requests_nothing()
    {
        var node = NodeInfo(Node("n", cpu: "1", memory: "1000Mi"));

        // 100m of 1000m free → 90; 200Mi of 1000Mi → 80; mean 85.
        Assert.Equal(85, _plugin.Score(new PodInfo(Pod("p")), node));
    }
}
