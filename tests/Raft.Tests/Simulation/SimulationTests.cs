using System.Diagnostics;
using Xunit.Abstractions;

namespace MiniKube.Raft.Tests.Simulation;

/// <summary>
/// Thousands of seeded runs of <see cref="SimCluster"/>. RAFT_SEED=n replays one seed (with a
/// trace of the last events in the failure message); RAFT_SIM_SEEDS=n runs more seeds.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const int ChaosTicks = 300;
    private const int LivenessBoundTicks = 600;

    [Theory]
    [InlineData(3, 2000)]
    [InlineData(5, 1000)]
    public void Cluster_stays_safe_and_live_when_the_network_and_nodes_fail(int size, int defaultSeeds)
    {
        var replay = Environment.GetEnvironmentVariable("RAFT_SEED");
        var seeds = replay is not null
            ? [int.Parse(replay, System.Globalization.CultureInfo.InvariantCulture)]
            : Enumerable.Range(size * 1_000_000, SeedCount(defaultSeeds)).ToArray();
        var sw = Stopwatch.StartNew();
        long acknowledged = 0;
        long reads = 0;
        var slowest = (Seed: 0, Ms: 0L);
        foreach (var seed in seeds)
        {
            var started = sw.ElapsedMilliseconds;
            var cluster = new SimCluster(seed, size, trace: replay is not null);
            try
            {
                cluster.RunChaos(ChaosTicks);
                cluster.CheckLogMatching();
                cluster.HealAndCheckLiveness(LivenessBoundTicks);
                cluster.CheckLogMatching();
            }
            catch (Exception e) when (e.Message.Contains("seed=", StringComparison.Ordinal) is false)
            {
                throw new InvalidOperationException($"{cluster.Description} (replay with RAFT_SEED={seed}): {e}", e);
            }
            acknowledged += cluster.Acknowledged.Count;
            reads += cluster.ReadsAnswered;
            if (sw.ElapsedMilliseconds - started > slowest.Ms)
            {
                slowest = (seed, sw.ElapsedMilliseconds - started);
            }
        }
        output.WriteLine($"{seeds.Length} seeds of {size} nodes in {sw.ElapsedMilliseconds} ms, {acknowledged} entries acknowledged, {reads} reads answered; slowest seed {slowest.Seed} took {slowest.Ms} ms");
        // A simulation in which nothing commits would check nothing.
        Assert.True(acknowledged > seeds.Length, $"only {acknowledged} entries were acknowledged over {seeds.Length} seeds");
        Assert.True(reads > seeds.Length, $"only {reads} reads were answered over {seeds.Length} seeds");
    }

    private static int SeedCount(int defaultSeeds) =>
        Environment.GetEnvironmentVariable("RAFT_SIM_SEEDS") is { } s
            ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : defaultSeeds;
}
