using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using MiniKube.Grpc.Http2;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests.Http2;

public sealed class AuthorityRewritingPipeReaderTests
{
    private static readonly byte[] Priority = [0x80, 0, 0, 1, 200];

    private static byte[] RequestBlock(string authority, bool huffman = true)
        => new HpackBlock().Indexed(3).Indexed(6).Incremental(4, "/etcdserverpb.Maintenance/Status", huffman).Incremental(1, authority, huffman).Incremental(31, "application/grpc", huffman).ToArray();

    private static byte[] RewrittenBlock(string authority, bool huffman = true)
        => new HpackBlock().Indexed(3).Indexed(6).Incremental(4, "/etcdserverpb.Maintenance/Status", huffman).Incremental(1, authority, huffman: false).Incremental(31, "application/grpc", huffman).ToArray();

    public static TheoryData<int> ChunkSizes => [1, 2, 9, 10, 100, 100_000];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task Input_that_is_not_HTTP_2_passes_unchanged(int chunkSize)
    {
        var input = Encoding.ASCII.GetBytes("POST /etcdserverpb.KV/Range HTTP/1.1\r\nHost: http://127.0.0.1:2379\r\n\r\n");

        Assert.Equal(input, await PumpAsync(input, chunkSize));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task Frames_without_a_URL_authority_pass_unchanged(int chunkSize)
    {
        var input = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Settings(),
            H2Frames.Headers(1, RequestBlock("127.0.0.1:2379"), padLength: 3, priority: Priority),
            H2Frames.Data(1, new byte[20_000]),
            H2Frames.Headers(3, RequestBlock("localhost:1").AsSpan(0, 10), endHeaders: false),
            H2Frames.Continuation(3, RequestBlock("localhost:1").AsSpan(10), endHeaders: true),
            H2Frames.WindowUpdate(0, 1000));

        Assert.Equal(input, await PumpAsync(input, chunkSize));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task A_URL_authority_is_rewritten_in_one_unpadded_HEADERS_frame(int chunkSize)
    {
        var input = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Settings(),
            H2Frames.Headers(1, RequestBlock("http://127.0.0.1:2379"), endStream: true, padLength: 7, priority: Priority),
            H2Frames.Data(3, [1, 2, 3]),
            H2Frames.Headers(5, new HpackBlock().Indexed(3).Indexed(63).ToArray()),
            H2Frames.WindowUpdate(0, 1000));
        var expected = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Settings(),
            H2Frames.Headers(1, RewrittenBlock("127.0.0.1:2379"), endStream: true, priority: Priority),
            H2Frames.Data(3, [1, 2, 3]),
            H2Frames.Headers(5, new HpackBlock().Indexed(3).Indexed(63).ToArray()),
            H2Frames.WindowUpdate(0, 1000));

        Assert.Equal(expected, await PumpAsync(input, chunkSize));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task A_block_spread_over_CONTINUATION_frames_becomes_one_HEADERS_frame(int chunkSize)
    {
        var block = RequestBlock("https://etcd.example:2379/");
        var input = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Headers(1, block.AsSpan(0, 5), endHeaders: false),
            H2Frames.Continuation(1, block.AsSpan(5, 25), endHeaders: false),
            H2Frames.Continuation(1, block.AsSpan(30), endHeaders: true),
            H2Frames.Data(1, [9]));
        var expected = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Headers(1, RewrittenBlock("etcd.example:2379")),
            H2Frames.Data(1, [9]));

        Assert.Equal(expected, await PumpAsync(input, chunkSize));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task Back_to_back_rewrites_each_take_effect(int chunkSize)
    {
        var input = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Headers(1, RequestBlock("http://a:1")),
            H2Frames.Headers(3, RequestBlock("http://b:2", huffman: false)),
            H2Frames.Headers(5, RequestBlock("c:3")));
        var expected = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Headers(1, RewrittenBlock("a:1")),
            H2Frames.Headers(3, RewrittenBlock("b:2", huffman: false)),
            H2Frames.Headers(5, RequestBlock("c:3")));

        Assert.Equal(expected, await PumpAsync(input, chunkSize));
    }

    [Fact]
    public async Task A_header_block_interrupted_by_another_frame_is_left_for_Kestrel_to_reject()
    {
        var block = RequestBlock("http://a:1");
        var input = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Headers(1, block.AsSpan(0, 5), endHeaders: false),
            H2Frames.Data(1, [1]),
            H2Frames.Continuation(1, block.AsSpan(5), endHeaders: true),
            H2Frames.Headers(3, RequestBlock("http://b:2")));

        Assert.Equal(input, await PumpAsync(input, 3));
    }

    [Fact]
    public async Task A_malformed_header_block_switches_to_pass_through()
    {
        var input = H2Frames.Concat(
            H2Frames.Preface,
            H2Frames.Headers(1, [0xBE]),
            H2Frames.Headers(3, RequestBlock("http://b:2")));

        Assert.Equal(input, await PumpAsync(input, 4096));
    }

    [Fact]
    public void Blocks_over_16_KiB_are_split_into_CONTINUATION_frames()
    {
        var block = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();
        var headers = new Http2Frame(0, Http2Frame.TypeHeaders, Http2Frame.FlagPriority | Http2Frame.FlagEndStream | Http2Frame.FlagPadded, 7);

        var frames = AuthorityRewritingPipeReader.BuildFrames(headers, Priority, block);

        var first = Http2Frame.Read(frames);
        var second = Http2Frame.Read(frames.AsSpan(first.TotalSize));
        var third = Http2Frame.Read(frames.AsSpan(first.TotalSize + second.TotalSize));
        Assert.Equal(new Http2Frame(16_384, Http2Frame.TypeHeaders, Http2Frame.FlagPriority | Http2Frame.FlagEndStream, 7), first);
        Assert.Equal(new Http2Frame(16_384, Http2Frame.TypeContinuation, 0, 7), second);
        Assert.Equal(new Http2Frame(40_000 - 16_379 - 16_384, Http2Frame.TypeContinuation, Http2Frame.FlagEndHeaders, 7), third);
        Assert.Equal(first.TotalSize + second.TotalSize + third.TotalSize, frames.Length);
        Assert.Equal(Priority, frames[9..14]);
    }

    [Fact]
    public async Task Bytes_that_need_no_rewrite_are_handed_over_without_copying()
    {
        var input = H2Frames.Concat(H2Frames.Preface, H2Frames.Settings(), H2Frames.Headers(1, RequestBlock("h:1")), H2Frames.Data(1, new byte[1000]));
        var inner = new FixedPipeReader(input);
        var reader = new AuthorityRewritingPipeReader(inner);

        var result = await reader.ReadAsync();

        Assert.True(MemoryMarshal.TryGetArray(result.Buffer.First, out var segment));
        Assert.Same(input, segment.Array);
        Assert.Equal(input.Length, result.Buffer.Length);
        reader.AdvanceTo(result.Buffer.End);
        Assert.Equal(input.Length, inner.Consumed);
    }

    [Fact]
    public async Task A_cancelled_read_stays_cancelled_when_a_rewritten_block_is_next()
    {
        var pipe = new Pipe();
        var reader = new AuthorityRewritingPipeReader(pipe.Reader);
        await pipe.Writer.WriteAsync(H2Frames.Preface);
        var preface = await reader.ReadAsync();
        reader.AdvanceTo(preface.Buffer.End);

        await pipe.Writer.WriteAsync(H2Frames.Headers(1, RequestBlock("http://a:1")));
        reader.CancelPendingRead();
        var result = await reader.ReadAsync();

        Assert.True(result.IsCanceled);
        Assert.Equal(H2Frames.Headers(1, RewrittenBlock("a:1")), result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
        await pipe.Writer.WriteAsync(H2Frames.Settings());
        var next = await reader.ReadAsync();
        Assert.False(next.IsCanceled);
        Assert.Equal(H2Frames.Settings(), next.Buffer.ToArray());
    }

    /// <summary>Writes <paramref name="input"/> in chunks, flushing each, and reads it all back through the rewriter.</summary>
    private static async Task<byte[]> PumpAsync(byte[] input, int chunkSize)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var writer = Task.Run(async () =>
        {
            for (var offset = 0; offset < input.Length; offset += chunkSize)
            {
                await pipe.Writer.WriteAsync(input.AsMemory(offset, Math.Min(chunkSize, input.Length - offset)));
            }

            await pipe.Writer.CompleteAsync();
        });

        var reader = new AuthorityRewritingPipeReader(pipe.Reader);
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                output.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync();
        await writer;
        return output.WrittenSpan.ToArray();
    }

    /// <summary>An inner reader that hands out one fixed array, to see whether the bytes are copied.</summary>
    private sealed class FixedPipeReader(byte[] data) : PipeReader
    {
        public long Consumed { get; private set; }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
            => new(new ReadResult(new ReadOnlySequence<byte>(data).Slice(Consumed), false, false));

        public override bool TryRead(out ReadResult result)
        {
            result = new ReadResult(new ReadOnlySequence<byte>(data).Slice(Consumed), false, false);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
            => Consumed = new ReadOnlySequence<byte>(data).Slice(0, consumed).Length;

        public override void CancelPendingRead()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
