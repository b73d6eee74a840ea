using MiniKube.NodeAgent.Pods;

namespace MiniKube.NodeAgent.Tests.Pods;

public sealed class PodIpAllocatorTests
{
    [Theory]
    [InlineData("10.244.0.0/16", 0, "10.244.0.0/24")]
    [InlineData("10.244.0.0/16", 3, "10.244.3.0/24")]
    [InlineData("10.244.0.0/16", 255, "10.244.255.0/24")]
    [InlineData("10.0.0.0/8", 300, "10.1.44.0/24")]
    [InlineData("10.244.7.9/24", 0, "10.244.7.0/24")]
    public void Node_gets_the_nth_slash_24_of_the_pod_cidr(string cidr, int index, string subnet) =>
        Assert.Equal(subnet, PodIpAllocator.ForNode(cidr, index).Subnet);

    [Theory]
    [InlineData("10.244.0.0/16", 256)]
    [InlineData("10.244.0.0/25", 0)]
    [InlineData("10.244.0.0", 0)]
    [InlineData("fd00::/64", 0)]
    public void Cidr_without_room_or_malformed_is_refused(string cidr, int index) =>
        Assert.Throws<ArgumentException>(() => PodIpAllocator.ForNode(cidr, index));

    [Fact]
    public void Allocation_is_lowest_free_from_dot_2_to_dot_254()
    {
        var ips = PodIpAllocator.ForNode("10.244.0.0/16", 1);
        var all = Enumerable.Range(0, 253).Select(_ => ips.Allocate()).ToList();

        Assert.Equal("10.244.1.2", all[0]);
        Assert.Equal("10.244.1.254", all[^1]);
        Assert.Equal(253, all.Distinct().Count());
        Assert.Null(ips.Allocate());

        ips.Release("10.244.1.100");
        Assert.Equal("10.244.1.100", ips.Allocate());
    }

    [Fact]
    public void Reserve_takes_only_free_addresses_of_the_node()
    {
        var ips = PodIpAllocator.ForNode("10.244.0.0/16", 0);

        Assert.True(ips.TryReserve("10.244.0.2"));
        Assert.False(ips.TryReserve("10.244.0.2"));
        Assert.False(ips.TryReserve("10.244.1.5"));
        Assert.False(ips.TryReserve("10.244.0.1"));
        Assert.Equal("10.244.0.3", ips.Allocate());
    }
}
