using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Tests.Protocol;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("100m", 100 * TimeSpan.TicksPerMillisecond)]
    [InlineData("5S", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("2M", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("1H", TimeSpan.TicksPerHour)]
    [InlineData("250u", 250 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("1n", 1)]
    [InlineData("99999999S", 99_999_999 * TimeSpan.TicksPerSecond)]
    [InlineData("0m", 0)]
    public void Parses_every_unit(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(TimeSpan.FromTicks(ticks), timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("100")]
    [InlineData("18f6n")]
    [InlineData("100x")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    public void Rejects_malformed_values(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(0, "0n")]
    [InlineData(1, "100n")]
    [InlineData(TimeSpan.TicksPerMillisecond * 99, "99000000n")]
    [InlineData(TimeSpan.TicksPerMillisecond * 100, "100000u")]
    [InlineData(TimeSpan.TicksPerSecond * 5, "5000000u")]
    [InlineData(TimeSpan.TicksPerMinute * 30, "1800000m")]
    [InlineData(TimeSpan.TicksPerDay * 3, "259200S")]
    [InlineData(TimeSpan.TicksPerDay * 3650, "5256000M")]
    public void Formats_with_the_finest_unit_that_fits_eight_digits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Formatting_rounds_up_so_a_timeout_never_shrinks()
    {
        // 100.0000001 ms does not fit in 8 digits of nanoseconds; in microseconds it rounds up.
        var timeout = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond * 100 + 1);

        Assert.Equal("100001u", GrpcTimeout.Format(timeout));
    }
}
