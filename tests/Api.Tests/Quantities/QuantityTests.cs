using System.Text.Json;
using MiniKube.Api.Quantities;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Tests.Quantities;

public class QuantityTests
{
    // Expected canonical forms as k8s's resource.MustParse(x).String() prints them.
    [Theory]
    [InlineData("0", "0")]
    [InlineData("0m", "0")]
    [InlineData("1000m", "1")]
    [InlineData("1500m", "1500m")]
    [InlineData("1.5", "1500m")]
    [InlineData("0.1", "100m")]
    [InlineData("100m", "100m")]
    [InlineData("1", "1")]
    [InlineData("1000", "1k")]
    [InlineData("1500", "1500")]
    [InlineData("1.5k", "1500")]
    [InlineData("2000k", "2M")]
    [InlineData("1G", "1G")]
    [InlineData("1E", "1E")]
    [InlineData("12n", "12n")]
    [InlineData("1u", "1u")]
    [InlineData("0.5u", "500n")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1Ki", "1Ki")]
    [InlineData("512Ki", "512Ki")]
    [InlineData("1536", "1536")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1.5Ki", "1536")]
    [InlineData("1Ei", "1Ei")]
    [InlineData("1e3", "1e3")]
    [InlineData("1E3", "1e3")]
    [InlineData("1.5e3", "1500")]
    [InlineData("1e-3", "1e-3")]
    [InlineData("100e-3", "100e-3")]
    [InlineData("-1", "-1")]
    [InlineData("-100m", "-100m")]
    [InlineData("+5", "5")]
    [InlineData("007", "7")]
    [InlineData(".5", "500m")]
    [InlineData("1.", "1")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("1.0000000001", "1000000001n")]
    [InlineData("100Pi", "100Pi")]
    public void Parse_then_ToString_gives_k8s_canonical_form_when_input_is_valid(string input, string canonical)
    {
        var quantity = Quantity.Parse(input);
        Assert.Equal(canonical, quantity.ToString());
        Assert.Equal(quantity, Quantity.Parse(quantity.ToString()));
    }

    [Theory]
    [InlineData("", Quantity.FormatErrorMessage)]
    [InlineData("abc", Quantity.FormatErrorMessage)]
    [InlineData("1.5.5", Quantity.FormatErrorMessage)]
    [InlineData("1 Gi", Quantity.FormatErrorMessage)]
    [InlineData("1Gb", Quantity.FormatErrorMessage)]
    [InlineData("1KiB", Quantity.FormatErrorMessage)]
    [InlineData("1ki", Quantity.SuffixErrorMessage)]
    [InlineData("1Kii", Quantity.SuffixErrorMessage)]
    [InlineData("1mm", Quantity.SuffixErrorMessage)]
    [InlineData("1e", Quantity.SuffixErrorMessage)]
    public void TryParse_reports_k8s_error_when_input_is_malformed(string input, string message)
    {
        Assert.False(Quantity.TryParse(input, out _, out var error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => Quantity.Parse(input)).Message);
    }

    [Fact]
    public void FormatErrorMessage_is_the_text_k8s_prints()
    {
        Assert.Equal("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", Quantity.FormatErrorMessage);
    }

    [Theory]
    [InlineData("1", 1, 1000)]
    [InlineData("100m", 1, 100)]
    [InlineData("1500m", 2, 1500)]
    [InlineData("1.0001", 2, 1001)]
    [InlineData("1n", 1, 1)]
    [InlineData("-1n", -1, -1)]
    [InlineData("128Mi", 134217728, 134217728000)]
    [InlineData("2k", 2000, 2000000)]
    [InlineData("0", 0, 0)]
    public void Value_and_MilliValue_round_up_when_not_whole(string input, long value, long milli)
    {
        var quantity = Quantity.Parse(input);
        Assert.Equal(value, quantity.Value);
        Assert.Equal(milli, quantity.MilliValue);
    }

    [Fact]
    public void Parse_caps_at_int64_max_when_value_is_larger()
    {
        Assert.Equal(long.MaxValue, Quantity.Parse("1e30").Value);
        Assert.Equal(long.MaxValue, Quantity.Parse("100Ei").Value);
    }

    [Fact]
    public void Add_is_exact_and_keeps_the_left_format_when_left_is_not_zero()
    {
        var sum = Quantity.Parse("100m") + Quantity.Parse("0.9");
        Assert.Equal("1", sum.ToString());
        Assert.Equal(QuantityFormat.DecimalSI, sum.Format);
        var memory = Quantity.Parse("1Gi") + Quantity.Parse("512Mi");
        Assert.Equal("1536Mi", memory.ToString());
        var fromZero = default(Quantity) + Quantity.Parse("1Ki");
        Assert.Equal("1Ki", fromZero.ToString());
        Assert.Equal("-400m", (Quantity.Parse("100m") - Quantity.Parse("500m")).ToString());
        // 0.1 + 0.2 is exactly 0.3 here, unlike in floating point.
        Assert.Equal(Quantity.Parse("300m"), Quantity.Parse("0.1") + Quantity.Parse("0.2"));
    }

    [Fact]
    public void Compare_orders_by_amount_when_formats_differ()
    {
        Assert.True(Quantity.Parse("1Ki") > Quantity.Parse("1k"));
        Assert.True(Quantity.Parse("999m") < Quantity.Parse("1"));
        Assert.Equal(Quantity.Parse("1000m"), Quantity.Parse("1"));
        Assert.Equal(Quantity.Parse("1e3").GetHashCode(), Quantity.Parse("1k").GetHashCode());
        Assert.Equal(0, Quantity.Parse("1024").CompareTo(Quantity.Parse("1Ki")));
    }

    [Fact]
    public void Json_is_a_canonical_string_and_numbers_are_accepted_when_reading()
    {
        var map = ApiJson.Deserialize<Dictionary<string, Quantity>>("""{"cpu":"1000m","memory":"1.5Gi","pods":110,"half":0.5}"""u8);
        Assert.Equal("""{"cpu":"1","memory":"1536Mi","pods":"110","half":"500m"}""", ApiJson.Serialize(map));
    }

    [Fact]
    public void Json_read_fails_with_k8s_message_when_quantity_is_malformed()
    {
        var error = Assert.Throws<JsonException>(() => ApiJson.Deserialize<Dictionary<string, Quantity>>("""{"cpu":"lots"}"""u8));
        Assert.Contains(Quantity.FormatErrorMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_milli_values_survive_format_and_parse_when_seeded()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var milli = random.NextInt64(-1_000_000_000_000, 1_000_000_000_000);
            var quantity = Quantity.FromMilli(milli);
            var parsed = Quantity.Parse(quantity.ToString());
            Assert.True(parsed.MilliValue == milli, $"seed {seed}: {milli}m printed as {quantity} read back as {parsed.MilliValue}m");
        }
    }
}
