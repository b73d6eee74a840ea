using MiniKube.Grpc.Http2;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests.Http2;

public sealed class HuffmanTests
{
    // RFC 7541 Appendix C.4 and C.6: Huffman-coded strings with their plain text.
    [Theory]
    [InlineData("f1e3c2e5f23a6ba0ab90f4ff", "www.example.com")]
    [InlineData("a8eb10649cbf", "no-cache")]
    [InlineData("25a849e95ba97d7f", "custom-key")]
    [InlineData("25a849e95bb8e8b4bf", "custom-value")]
    [InlineData("6402", "302")]
    [InlineData("aec3771a4b", "private")]
    [InlineData("d07abe941054d444a8200595040b8166e082a62d1bff", "Mon, 21 Oct 2013 20:13:21 GMT")]
    [InlineData("9d29ad171863c78f0b97c8e9ae82ae43d3", "https://www.example.com")]
    [InlineData("94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")]
    public void Decodes_the_RFC_7541_examples(string hex, string expected)
    {
        var encoded = Convert.FromHexString(hex);
        var decoded = new byte[encoded.Length * 8 / 5];

        var length = Huffman.Decode(encoded, decoded);

        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(decoded, 0, length));
        Assert.Equal(length, Huffman.Decode(encoded, default, write: false));
    }

    [Fact]
    public void Every_byte_value_round_trips()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var encoded = HpackBlock.HuffmanEncode(all);
        var decoded = new byte[encoded.Length * 8 / 5];

        var length = Huffman.Decode(encoded, decoded);

        Assert.Equal(all, decoded[..length]);
    }

    [Theory]
    [InlineData("ffffffff", "EOS, a 30-bit run of ones, inside the string")]
    [InlineData("1fff", "padding longer than 7 bits")]
    [InlineData("00", "padding that is not all ones: '0' then 000")]
    public void Rejects_invalid_encodings(string hex, string why)
    {
        _ = why;
        var encoded = Convert.FromHexString(hex);

        Assert.Equal(-1, Huffman.Decode(encoded, new byte[16]));
    }
}
