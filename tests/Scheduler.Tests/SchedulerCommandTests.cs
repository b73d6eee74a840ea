namespace MiniKube.Scheduler.Tests;

public sealed class SchedulerCommandTests
{
    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1h", 3_600_000)]
    public void ParseDuration_reads_Go_durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), SchedulerCommand.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("5x")]
    [InlineData("s")]
    public void ParseDuration_rejects_what_Go_rejects(string text) =>
        Assert.Throws<FormatException>(() => SchedulerCommand.ParseDuration(text));

    [Fact]
    public void The_command_rejects_a_bad_duration_with_a_parse_error()
    {
        var result = SchedulerCommand.Create().Parse(["--leader-elect-lease-duration", "abc"]);

        Assert.NotEmpty(result.Errors);
        Assert.Empty(SchedulerCommand.Create().Parse(["--leader-elect-lease-duration", "20s", "--parallelism", "4", "--leader-elect=false"]).Errors);
    }
}
