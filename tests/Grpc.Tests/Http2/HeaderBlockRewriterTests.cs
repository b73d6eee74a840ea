using MiniKube.Grpc.Http2;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests.Http2;

public sealed class HeaderBlockRewriterTests
{
    // RFC 7541 C.3 (plain) and C.4 (Huffman): three requests on one connection, with the dynamic
    // table size after each. Indices 62 and 63 in the later blocks refer to the dynamic table.
    public static TheoryData<string, string[], int[]> RfcRequestSequences => new()
    {
        {
            "C.3 plain literals",
            [
                "828684410f7777772e6578616d706c652e636f6d",
                "828684be58086e6f2d6361636865",
                "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
            ],
            [57, 110, 164]
        },
        {
            "C.4 Huffman literals",
            [
                "828684418cf1e3c2e5f23a6ba0ab90f4ff",
                "828684be5886a8eb10649cbf",
                "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
            ],
            [57, 110, 164]
        },
    };

    [Theory]
    [MemberData(nameof(RfcRequestSequences))]
    public void Follows_the_dynamic_table_through_the_RFC_examples_without_rewriting(string name, string[] blocks, int[] tableSizes)
    {
        _ = name;
        var rewriter = new HeaderBlockRewriter();

        for (var i = 0; i < blocks.Length; i++)
        {
            Assert.Null(rewriter.Process(Convert.FromHexString(blocks[i])));
            Assert.Equal(tableSizes[i], rewriter.Table.Size);
        }
    }

    [Theory]
    [InlineData("incremental", false)]
    [InlineData("incremental", true)]
    [InlineData("without", false)]
    [InlineData("without", true)]
    [InlineData("never", false)]
    [InlineData("never", true)]
    public void Rewrites_a_URL_authority_as_a_plain_literal_of_the_same_kind(string kind, bool huffman)
    {
        var rewriter = new HeaderBlockRewriter();
        static HpackBlock Around(HpackBlock block) => block.Indexed(3).Indexed(6);
        var original = Around(new HpackBlock()).Literal(kind, 1, "http://127.0.0.1:2379", huffman).Incremental(4, "/etcdserverpb.Maintenance/Status", huffman).Indexed(31).ToArray();
        var expected = Around(new HpackBlock()).Literal(kind, 1, "127.0.0.1:2379", huffman: false).Incremental(4, "/etcdserverpb.Maintenance/Status", huffman).Indexed(31).ToArray();

        var rewritten = rewriter.Process(original);

        Assert.Equal(expected, rewritten);
        // The mirror follows the client's table, so it counts the value the client sent.
        var authoritySize = kind == "incremental" ? ":authority".Length + "http://127.0.0.1:2379".Length + 32 : 0;
        Assert.Equal(authoritySize + ":path".Length + "/etcdserverpb.Maintenance/Status".Length + 32, rewriter.Table.Size);
    }

    [Fact]
    public void Resolves_authority_names_through_the_dynamic_table()
    {
        var rewriter = new HeaderBlockRewriter();

        // Dynamic table after this block: 62 = x-url, 63 = :authority (literal name).
        Assert.Null(rewriter.Process(new HpackBlock().Incremental(":authority", "a:1", huffman: true).Incremental("x-url", "http://not-an-authority:1").ToArray()));

        // An authority named by index 63 is rewritten; a URL under the name at 62 (x-url) is not.
        var rewritten = rewriter.Process(new HpackBlock().WithoutIndexing(63, "https://h:443/p", huffman: true).WithoutIndexing(62, "http://x:1").ToArray());
        Assert.Equal(new HpackBlock().WithoutIndexing(1, "h:443").WithoutIndexing(62, "http://x:1").ToArray(), rewritten);

        // A new entry shifts the indices: the authority entry is now 64.
        Assert.NotNull(rewriter.Process(new HpackBlock().Incremental(62, "http://y:2").Incremental(64, "http://z:3").ToArray()));
        Assert.Equal(4, rewriter.Table.Count);
        Assert.True(rewriter.Table[0].IsAuthority);
        Assert.False(rewriter.Table[1].IsAuthority);
    }

    [Fact]
    public void A_table_size_update_evicts_and_invalidates_old_indices()
    {
        var rewriter = new HeaderBlockRewriter();
        Assert.Null(rewriter.Process(new HpackBlock().Incremental(1, "a:1").Incremental("x", new string('v', 100)).ToArray()));

        // An update to the same size keeps everything; 0 empties the table.
        Assert.Null(rewriter.Process(new HpackBlock().SizeUpdate(4096).ToArray()));
        Assert.Equal(2, rewriter.Table.Count);
        Assert.Null(rewriter.Process(new HpackBlock().SizeUpdate(0).SizeUpdate(4096).ToArray()));
        Assert.Equal(0, rewriter.Table.Count);

        Assert.Throws<HpackException>(() => rewriter.Process(new HpackBlock().Indexed(62).ToArray()));
    }

    [Fact]
    public void Evicts_the_oldest_entries_when_the_table_fills()
    {
        var rewriter = new HeaderBlockRewriter();
        var value = new string('v', 1000);

        for (var i = 0; i < 10; i++)
        {
            Assert.Null(rewriter.Process(new HpackBlock().Incremental("x-" + i, value, huffman: i % 2 == 0).ToArray()));
        }

        // 4096 bytes hold three entries of 3 + 1000 + 32 bytes.
        Assert.Equal(3, rewriter.Table.Count);
        Assert.Equal(3 * 1035, rewriter.Table.Size);
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("41")]
    [InlineData("418a6162")]
    [InlineData("80")]
    [InlineData("be")]
    [InlineData("41ff8fffffffff01")]
    public void Malformed_blocks_throw(string hex)
    {
        Assert.Throws<HpackException>(() => new HeaderBlockRewriter().Process(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:2379", "127.0.0.1:2379")]
    [InlineData("https://etcd.local:2379/v3/kv?x=1", "etcd.local:2379")]
    [InlineData("unix://socket:0", "socket:0")]
    [InlineData("http://user:pw@h:1/", "h:1")]
    [InlineData("h2c+tls.x-y://[::1]:2379", "[::1]:2379")]
    [InlineData("127.0.0.1:2379", null)]
    [InlineData("http://", null)]
    [InlineData("://h:1", null)]
    [InlineData("1http://h:1", null)]
    [InlineData("passthrough:///http://127.0.0.1:2379", null)]
    public void Extracts_host_and_port_from_URLs_only(string value, string? expected)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(value);

        var found = HeaderBlockRewriter.TryExtractAuthority(bytes, out var range);

        Assert.Equal(expected is not null, found);
        if (found)
        {
            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(bytes[range]));
        }
    }
}
