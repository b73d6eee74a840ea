using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class StreamingTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    [Fact]
    public async Task Server_streaming_delivers_every_message_then_OK()
    {
        using var call = fixture.Channel.ServerStreaming(TestService.Count, new Int64Value { Value = 500 });
        var received = new List<long>();

        while (await call.ResponseStream.MoveNext())
        {
            received.Add(call.ResponseStream.Current.Value);
        }

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("application/grpc", (await call.ResponseHeadersAsync).Get("content-type"));
    }

    [Fact]
    public async Task Server_streaming_with_no_messages_ends_cleanly()
    {
        using var call = fixture.Channel.ServerStreaming(TestService.Count, new Int64Value { Value = 0 });

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task An_error_after_messages_is_thrown_by_MoveNext_once_the_messages_are_read()
    {
        using var call = fixture.Channel.ServerStreaming(TestService.CountThenAbort, new Int64Value { Value = 3 });
        var received = new List<long>();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
                received.Add(call.ResponseStream.Current.Value);
            }
        });

        Assert.Equal([1, 2, 3], received);
        Assert.Equal(new Status(StatusCode.Aborted, "stopped after 3"), error.Status);
        Assert.Equal(error.Status, call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => fixture.Channel.ServerStreaming(TestService.Count, new Int64Value()).GetStatus());
    }

    [Fact]
    public async Task Duplex_messages_interleave_request_by_response()
    {
        using var call = fixture.Channel.DuplexStreaming(TestService.Chat);

        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal($"re: m{i}", call.ResponseStream.Current.Value);
        }

        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal("bye", call.ResponseStream.Current.Value);
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new StringValue()));
    }

    [Fact]
    public async Task Duplex_messages_of_any_size_are_reassembled_across_reads()
    {
        // Sizes straddle frame and buffer boundaries: empty, tiny, 16 KiB HTTP/2 frames, the 4 KiB reader buffer.
        int[] sizes = [0, 1, 4091, 4096, 16_379, 16_384, 100_000, 1_000_000, 3];
        using var call = fixture.Channel.DuplexStreaming(TestService.MeasureEach);

        var writes = Task.Run(async () =>
        {
            foreach (var size in sizes)
            {
                await call.RequestStream.WriteAsync(new BytesValue { Value = ByteString.CopyFrom(new byte[size]) });
            }

            await call.RequestStream.CompleteAsync();
        });
        var received = new List<long>();
        while (await call.ResponseStream.MoveNext())
        {
            received.Add(call.ResponseStream.Current.Value);
        }

        await writes;
        Assert.Equal(sizes.Select(s => (long)s), received);
    }

    [Fact]
    public async Task Concurrent_writers_on_one_duplex_stream_do_not_interleave_frames()
    {
        using var call = fixture.Channel.DuplexStreaming(TestService.MeasureEach);

        var writers = Enumerable.Range(1, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await call.RequestStream.WriteAsync(new BytesValue { Value = ByteString.CopyFrom(new byte[w * 1000]) });
            }
        })).ToArray();
        var reading = Task.Run(async () =>
        {
            var lengths = new List<long>();
            while (await call.ResponseStream.MoveNext())
            {
                lengths.Add(call.ResponseStream.Current.Value);
            }

            return lengths;
        });
        await Task.WhenAll(writers);
        await call.RequestStream.CompleteAsync();
        var received = await reading;

        Assert.Equal(200, received.Count);
        Assert.All(Enumerable.Range(1, 8), w => Assert.Equal(25, received.Count(l => l == w * 1000)));
    }
}
