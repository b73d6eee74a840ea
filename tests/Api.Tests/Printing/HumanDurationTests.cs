using MiniKube.Api.Printing;

namespace MiniKube.Api.Tests.Printing;

public class HumanDurationTests
{
    [Theory]
    [InlineData(-3, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(200, "3m20s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60 + 59, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 5 * 60, "3h5m")]
    [InlineData(8 * 3600 + 5 * 60, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(51 * 3600, "2d3h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(45 * 86400 + 7000, "45d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(731 * 86400, "2y1d")]
    [InlineData(8 * 365 * 86400 + 86400 * 100, "8y")]
    public void Format_matches_k8s_duration_HumanDuration(long seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Since_is_unknown_when_timestamp_missing()
    {
        Assert.Equal("<unknown>", HumanDuration.Since(null, DateTimeOffset.UnixEpoch));
        Assert.Equal("2m5s", HumanDuration.Since(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(125).AddMilliseconds(900)));
    }
}
