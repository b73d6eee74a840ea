using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests.Http2;

/// <summary>Header blocks built by hand, decoded by Kestrel's own HPACK decoder behind the rewriter.</summary>
public sealed class KestrelAuthorityTests
{
    /// <summary>
    /// A request as grpc-go encodes it: every literal with incremental indexing and Huffman coding.
    /// Adds, newest first: x-probe, te, content-type, :authority, :path (indices 62 to 66).
    /// </summary>
    private static byte[] LiteralRequest(string authority, string probe) => new HpackBlock()
        .Indexed(3).Indexed(6)
        .Incremental(4, "/test.Echo/Headers", huffman: true)
        .Incremental(1, authority, huffman: true)
        .Incremental(31, "application/grpc", huffman: true)
        .Incremental("te", "trailers", huffman: true)
        .Incremental("x-probe", probe, huffman: true)
        .ToArray();

    [Fact]
    public async Task Kestrel_resets_a_URL_authority_without_the_rewriter()
    {
        var service = new TestService();
        await using var server = await TestServer.StartGrpcAsync(service.Register, normalizeAuthority: false);
        await using var connection = await RawHttp2Connection.OpenAsync(server.Port);

        var response = await connection.CallAsync(1, LiteralRequest($"http://127.0.0.1:{server.Port}", "p"), "host");

        Assert.Null(response);
    }

    [Fact]
    public async Task Rewritten_authorities_and_later_indexed_references_to_them_reach_the_handler()
    {
        var service = new TestService();
        await using var server = await TestServer.StartGrpcAsync(service.Register, normalizeAuthority: true);
        await using var connection = await RawHttp2Connection.OpenAsync(server.Port);

        // Odd requests add new literals, long enough that the 4 KiB table evicts every few requests;
        // even requests refer back to the previous request's entries by index only.
        for (var i = 0; i < 40; i += 2)
        {
            var probe = $"{i}:" + new string((char)('a' + (i % 26)), 300 + (i * 7));
            var literal = await connection.CallAsync(i * 2 + 1, LiteralRequest($"http://host{i}:{server.Port}/ignored", probe), "x-probe");
            var indexed = await connection.CallAsync(i * 2 + 3, new HpackBlock().Indexed(3).Indexed(6).Indexed(66).Indexed(65).Indexed(64).Indexed(63).Indexed(62).ToArray(), "x-probe");

            Assert.Equal($"{probe}|host{i}:{server.Port}", Describe(literal));
            Assert.Equal($"{probe}|host{i}:{server.Port}", Describe(indexed));
        }
    }

    [Fact]
    public async Task Huffman_coded_values_of_every_printable_character_survive_the_rewriter()
    {
        var service = new TestService();
        await using var server = await TestServer.StartGrpcAsync(service.Register, normalizeAuthority: true);
        await using var connection = await RawHttp2Connection.OpenAsync(server.Port);
        var printable = new string([.. Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c)]) + " inner space";

        var response = await connection.CallAsync(1, LiteralRequest($"127.0.0.1:{server.Port}", printable), "x-probe");

        Assert.Equal($"{printable}|127.0.0.1:{server.Port}", Describe(response));
    }

    /// <summary>The Headers handler answers "metadata|peer|method|host"; keep the probe and the host.</summary>
    private static string Describe(Google.Protobuf.WellKnownTypes.StringValue? response)
    {
        Assert.NotNull(response);
        // The probe itself may contain '|': the three fields after it are counted from the end.
        var parts = response.Value.Split('|');
        return $"{string.Join('|', parts[..^3])}|{parts[^1]}";
    }
}
