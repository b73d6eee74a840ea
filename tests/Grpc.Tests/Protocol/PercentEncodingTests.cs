using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Tests.Protocol;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain ascii ~!", "plain ascii ~!")]
    [InlineData("100%", "100%25")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("é", "%C3%A9")]
    [InlineData("✓", "%E2%9C%93")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void Encodes_like_grpc_and_decodes_back(string text, string encoded)
    {
        Assert.Equal(encoded, PercentEncoding.Encode(text));
        Assert.Equal(text, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%zz", "%zz")]
    [InlineData("%4", "%4")]
    [InlineData("%41%42", "AB")]
    public void Keeps_malformed_escapes_literally(string encoded, string decoded)
    {
        Assert.Equal(decoded, PercentEncoding.Decode(encoded));
    }
}
