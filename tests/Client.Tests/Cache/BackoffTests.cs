using MiniKube.Client.Cache;

namespace MiniKube.Client.Tests.Cache;

public sealed class BackoffTests
{
    [Fact]
    public void Backoff_doubles_to_its_maximum_with_bounded_jitter_and_resets()
    {
        const int seed = 99;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.5, seed);

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next()).ToList();
        backoff.Reset();
        var afterReset = backoff.Next();

        double[] steps = [100, 200, 400, 800, 1000, 1000];
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.True(delays[i].TotalMilliseconds >= steps[i] && delays[i].TotalMilliseconds <= steps[i] * 1.5, $"seed {seed}: step {i} was {delays[i]}");
        }

        Assert.InRange(afterReset.TotalMilliseconds, 100, 150);
        var replay = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.5, seed);
        Assert.Equal(delays, [.. Enumerable.Range(0, 6).Select(_ => replay.Next())]);
    }
}
