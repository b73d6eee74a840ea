using System.Text.Json;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Tests.Meta;

public class IntOrStringTests
{
    // GetScaledValueFromIntOrPercent cases (maxSurge rounds up, maxUnavailable rounds down).
    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("25%", 4, true, 1)]
    [InlineData("25%", 4, false, 1)]
    [InlineData("25%", 1, true, 1)]
    [InlineData("25%", 1, false, 0)]
    [InlineData("0%", 10, true, 0)]
    [InlineData("100%", 7, false, 7)]
    [InlineData("150%", 2, false, 3)]
    [InlineData("33%", 3, true, 1)]
    [InlineData("33%", 3, false, 0)]
    public void GetScaledValue_scales_percentages_against_total_when_string(string value, int total, bool roundUp, int expected)
    {
        Assert.Equal(expected, new IntOrString(value).GetScaledValue(total, roundUp));
    }

    [Fact]
    public void GetScaledValue_returns_number_as_is_when_int()
    {
        Assert.Equal(5, new IntOrString(5).GetScaledValue(100, roundUp: true));
        Assert.Equal(0, new IntOrString(0).GetScaledValue(100, roundUp: false));
    }

    [Theory]
    [InlineData("http", "invalid value for IntOrString: invalid type: string is not a percentage")]
    [InlineData("x%", "invalid value for IntOrString: invalid value \"x%\": strconv.Atoi: parsing \"x\": invalid syntax")]
    public void TryGetScaledValue_fails_with_k8s_message_when_not_a_percentage(string value, string message)
    {
        Assert.False(new IntOrString(value).TryGetScaledValue(10, true, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Json_keeps_number_or_string_form()
    {
        var list = ApiJson.Deserialize<List<IntOrString>>("""[8080,"http","25%"]"""u8);
        Assert.False(list[0].IsString);
        Assert.Equal(8080, list[0].IntValue);
        Assert.True(list[1].IsString);
        Assert.Equal("http", list[1].StringValue);
        Assert.Equal("""[8080,"http","25%"]""", ApiJson.Serialize(list));
        Assert.Throws<JsonException>(() => ApiJson.Deserialize<List<IntOrString>>("[true]"u8));
    }

    [Fact]
    public void Equality_distinguishes_number_from_string()
    {
        Assert.NotEqual(new IntOrString(1), new IntOrString("1"));
        Assert.Equal(new IntOrString("1"), (IntOrString)"1");
        Assert.Equal("25%", new IntOrString("25%").ToString());
        Assert.Equal("3", new IntOrString(3).ToString());
    }
}
