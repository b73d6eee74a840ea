using MiniKube.Controllers.Deployments;

namespace MiniKube.Controllers.Tests.Deployments;

public sealed class ProportionalScalingTests
{
    // Kubernetes' documented example: 10 replicas, maxSurge 3, a rollout stuck at 8 old + 5 new (13 = 10 + 3).
    [Theory]
    [InlineData(15, 11, 7, "up")]
    [InlineData(5, 5, 3, "down")]
    [InlineData(10, 8, 5, "")]
    [InlineData(0, 0, 0, "down")]
    public void Plan_spreads_a_change_of_replicas_over_active_replica_sets_in_proportion_to_their_size(
        int replicas, int expectedOld, int expectedNew, string expectedOperation)
    {
        var d = Objects.Deployment("ns", "web", replicas, maxSurge: 3, maxUnavailable: 2);
        var old = Objects.ReplicaSet("old", 8, 0, maxReplicas: 13);
        var newRs = Objects.ReplicaSet("new", 5, 10, maxReplicas: 13);

        var plan = ProportionalScaling.Plan(d, [old, newRs]);

        Assert.Equal(expectedOperation, plan.Operation);
        Assert.Equal(expectedOld, plan.NewSizes["old"]);
        Assert.Equal(expectedNew, plan.NewSizes["new"]);
        Assert.Equal(replicas == 0 ? 0 : replicas + 3, plan.NewSizes.Values.Sum());
    }

    [Fact]
    public void Plan_gives_the_rounding_leftover_to_the_largest_replica_set()
    {
        // Three equal sets of 1 growing from 3 to 4 (maxSurge 0): each share rounds to 0, the leftover 1 goes first.
        var d = Objects.Deployment("ns", "web", 4, maxSurge: 0, maxUnavailable: 1);
        var rss = new[] { Objects.ReplicaSet("a", 1, 0, maxReplicas: 3), Objects.ReplicaSet("b", 1, 1, maxReplicas: 3), Objects.ReplicaSet("c", 1, 2, maxReplicas: 3) };

        var plan = ProportionalScaling.Plan(d, rss);

        Assert.Equal(4, plan.NewSizes.Values.Sum());
        Assert.Equal(2, plan.NewSizes[plan.Order[0].Metadata!.Name!]);
        Assert.Equal("c", plan.Order[0].Metadata!.Name);
    }

    [Fact]
    public void Plan_keeps_the_total_at_replicas_plus_surge_for_random_sizes()
    {
        const int seed = 20261202;
        var random = new Random(seed);
        for (var round = 0; round < 500; round++)
        {
            var oldReplicas = random.Next(1, 50);
            var replicas = random.Next(0, 60);
            var surge = random.Next(0, 5);
            var count = random.Next(1, 5);
            var sizes = Enumerable.Range(0, count).Select(_ => random.Next(1, oldReplicas + 1)).ToList();
            var d = Objects.Deployment("ns", "web", replicas, maxSurge: surge, maxUnavailable: 1);
            var rss = sizes.Select((s, i) => Objects.ReplicaSet($"rs{i}", s, i, maxReplicas: oldReplicas + surge)).ToList();

            var plan = ProportionalScaling.Plan(d, rss);

            var expected = replicas == 0 ? 0 : replicas + surge;
            var context = $"seed {seed} round {round}: replicas {replicas} surge {surge} sizes [{string.Join(',', sizes)}] -> [{string.Join(',', rss.Select(r => plan.NewSizes[r.Metadata!.Name!]))}]";
            Assert.True(plan.NewSizes.Values.All(v => v >= 0), context);
            if (plan.NewSizes.Values.Sum() != expected)
            {
                // Only a leftover clamped at zero may leave the total off, and then only above it.
                Assert.True(plan.NewSizes.Values.Sum() > expected && plan.NewSizes[plan.Order[0].Metadata!.Name!] == 0, context);
            }
        }
    }
}
