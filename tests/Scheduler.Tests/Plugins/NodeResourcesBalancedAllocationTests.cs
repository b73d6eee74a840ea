using MiniKube.Scheduler.Framework;
using MiniKube.Scheduler.Plugins;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Plugins;

public sealed class NodeResourcesBalancedAllocationTests
{
    [Theory]
    [InlineData("2", "4Gi", 100)] // cpu 50 %, memory 50 %
    [InlineData("4", "0", 51)] // cpu 100 %, memory the default 200Mi of 8Gi ≈ 2.4 %: std ≈ 0.488
    [InlineData("1", "6Gi", 75)] // cpu 25 %, memory 75 %: std 0.25
    public void Score_is_highest_when_cpu_and_memory_are_used_in_equal_fractions(string cpu, string memory, long expected)
    {
        var node = NodeInfo(Node("n", cpu: "4", memory: "8Gi"));

        var score = new NodeResourcesBalancedAllocation().Score(new PodInfo(Pod("p", cpu, memory == "0" ? null : memory)), node);

        Assert.Equal(expected, score);
    }
}
