using MiniKube.NodeAgent.Pods;

namespace MiniKube.NodeAgent.Tests.Pods;

public sealed class RestartBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Backoff_is_immediate_then_doubles_from_10s_up_to_5m()
    {
        var backoff = RestartBackoff.Default();
        var t = T0;
        var delays = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            var d = backoff.Next(t);
            delays.Add(d.TotalSeconds);
            t += d + TimeSpan.FromSeconds(1);
        }

        Assert.Equal([0, 10, 20, 40, 80, 160, 300, 300, 300], delays);
    }

    [Fact]
    public void Backoff_starts_over_after_a_run_longer_than_twice_the_maximum()
    {
        var backoff = RestartBackoff.Default();
        backoff.Next(T0);
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Next(T0.AddSeconds(1)));

        Assert.Equal(TimeSpan.Zero, backoff.Next(T0.AddMinutes(11)));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Next(T0.AddMinutes(11).AddSeconds(1)));
    }

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(80, "1m20s")]
    [InlineData(300, "5m0s")]
    [InlineData(3725, "1h2m5s")]
    public void Durations_print_as_Go_prints_them(int seconds, string text) =>
        Assert.Equal(text, PodWorker.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
