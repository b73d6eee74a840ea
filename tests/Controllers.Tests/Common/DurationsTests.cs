using MiniKube.Controllers.Common;

namespace MiniKube.Controllers.Tests.Common;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("40s", 40_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    public void Parse_reads_go_durations_when_given(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));

    [Theory]
    [InlineData("40")]
    [InlineData("s")]
    [InlineData("10x")]
    public void Parse_throws_when_the_text_is_not_a_duration(string text) =>
        Assert.Throws<FormatException>(() => Durations.Parse(text));
}
