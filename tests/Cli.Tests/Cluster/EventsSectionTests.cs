using System.Text.Json.Nodes;
using MiniKube.Cli.Kube;

namespace MiniKube.Cli.Tests.Cluster;

public sealed class EventsSectionTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(40 * 86400, "40d")]
    public void HumanDuration_prints_as_apimachinery(int seconds, string expected)
    {
        Assert.Equal(expected, EventsSection.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Render_lists_events_oldest_first_with_repeats_and_source()
    {
        var now = new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
        JsonObject Event(string reason, string message, int secondsAgo, int count = 1, int firstAgo = 0, string type = "Normal") => new()
        {
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["count"] = count,
            ["firstTimestamp"] = now.AddSeconds(-Math.Max(firstAgo, secondsAgo)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["lastTimestamp"] = now.AddSeconds(-secondsAgo).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["source"] = new JsonObject { ["component"] = "default-scheduler" },
        };

        var text = EventsSection.Render(
            [Event("Scheduled", "Successfully assigned default/web to node-1", 5), Event("FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu.", 20, count: 4, firstAgo: 200, type: "Warning")],
            now);

        Assert.Equal(
            """
            Events:
              Type      Reason             Age                   From                Message
              ----      ------             ----                  ----                -------
              Warning   FailedScheduling   20s (x4 over 3m20s)   default-scheduler   0/3 nodes are available: 3 Insufficient cpu.
              Normal    Scheduled          5s                    default-scheduler   Successfully assigned default/web to node-1

            """.Replace("\r", "", StringComparison.Ordinal),
            text);
        Assert.Equal("Events:              <none>\n", EventsSection.Render([], now));
    }
}
