namespace MiniKube.Raft.Tests;

public sealed class TrackerTests
{
    [Fact]
    public void Inflights_fill_up_to_capacity_and_free_acknowledged_messages_in_order()
    {
        var inflights = new Inflights(4);
        foreach (var i in new ulong[] { 3, 5, 8, 9 })
        {
            inflights.Add(i);
        }
        Assert.True(inflights.Full);
        Assert.Throws<InvalidOperationException>(() => inflights.Add(10));
        inflights.FreeLE(5);
        Assert.Equal(2, inflights.Count);
        inflights.Add(10);
        inflights.Add(12);
        // Wrapped around the ring: the oldest remaining is 8.
        inflights.FreeFirstOne();
        Assert.Equal(3, inflights.Count);
        inflights.FreeLE(11);
        Assert.Equal(1, inflights.Count);
        inflights.FreeLE(100);
        Assert.Equal(0, inflights.Count);
    }

    [Theory]
    [InlineData(new ulong[] { 5 }, 5UL)]
    [InlineData(new ulong[] { 5, 3 }, 3UL)]
    [InlineData(new ulong[] { 5, 3, 1 }, 3UL)]
    [InlineData(new ulong[] { 5, 3, 1, 9 }, 3UL)]
    [InlineData(new ulong[] { 5, 3, 1, 9, 7 }, 5UL)]
    [InlineData(new ulong[] { 0, 0, 2 }, 0UL)]
    public void Committed_index_is_the_highest_index_a_majority_has(ulong[] matches, ulong expected)
    {
        var voters = Enumerable.Range(1, matches.Length).Select(i => (ulong)i).ToArray();
        Assert.Equal(expected, MajorityConfig.CommittedIndex(voters, id => matches[id - 1]));
    }

    [Fact]
    public void Committed_index_agrees_with_a_brute_force_count_for_random_inputs()
    {
        var seed = 20261202;
        var rng = new Random(seed);
        for (var round = 0; round < 2000; round++)
        {
            var n = rng.Next(1, 8);
            var matches = Enumerable.Range(0, n).Select(_ => (ulong)rng.Next(0, 10)).ToArray();
            var voters = Enumerable.Range(1, n).Select(i => (ulong)i).ToArray();
            // The reference: the largest index that more than half of the voters have reached.
            var expected = Enumerable.Range(0, 11).Select(i => (ulong)i).Where(i => matches.Count(m => m >= i) > n / 2).Max();
            Assert.True(expected == MajorityConfig.CommittedIndex(voters, id => matches[id - 1]),
                $"seed {seed} round {round}: matches [{string.Join(",", matches)}]");
        }
    }

    [Theory]
    [InlineData(3, new[] { 1, 1 }, VoteResult.Won)]
    [InlineData(3, new[] { 1, 0 }, VoteResult.Pending)]
    [InlineData(3, new[] { 1, 0, 0 }, VoteResult.Lost)]
    [InlineData(4, new[] { 1, 1, 0 }, VoteResult.Pending)]
    [InlineData(4, new[] { 1, 1, 0, 0 }, VoteResult.Lost)]
    [InlineData(5, new[] { 1, 1, 1 }, VoteResult.Won)]
    public void Vote_is_won_by_a_majority_and_lost_when_a_majority_is_out_of_reach(int size, int[] votes, VoteResult expected)
    {
        var voters = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        var map = votes.Select((v, i) => ((ulong)i + 1, v == 1)).ToDictionary(x => x.Item1, x => x.Item2);
        Assert.Equal(expected, MajorityConfig.Vote(voters, map));
    }
}
