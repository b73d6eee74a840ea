using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class CancellationTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Cancelling_a_unary_call_resets_the_stream_and_cancels_the_handler()
    {
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);
        using var cancellation = new CancellationTokenSource();

        var call = fixture.Channel.UnaryAsync(TestService.WaitForCancellation, new StringValue { Value = id }, new CallOptions(CancellationToken: cancellation.Token));
        await observation.Started.Task.WaitAsync(Patience);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(new Status(StatusCode.Cancelled, "context canceled"), error.Status);
        await observation.Cancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Disposing_a_streaming_call_fails_the_waiting_reader_and_cancels_the_handler()
    {
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);
        var call = fixture.Channel.ServerStreaming(TestService.StreamUntilCancelled, new StringValue { Value = id });
        Assert.True(await call.ResponseStream.MoveNext());
        await observation.Started.Task.WaitAsync(Patience);

        var waiting = call.ResponseStream.MoveNext();
        call.Dispose();

        var error = await Assert.ThrowsAsync<RpcException>(() => waiting);
        Assert.Equal(new Status(StatusCode.Cancelled, "the call was disposed"), error.Status);
        await observation.Cancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Cancelling_a_read_token_cancels_the_call()
    {
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);
        using var call = fixture.Channel.ServerStreaming(TestService.StreamUntilCancelled, new StringValue { Value = id });
        Assert.True(await call.ResponseStream.MoveNext());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cancellation.Token));

        Assert.Equal(new Status(StatusCode.Cancelled, "context canceled"), error.Status);
        await observation.Cancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Disposing_a_duplex_call_fails_its_writer_too()
    {
        var call = fixture.Channel.DuplexStreaming(TestService.Chat);
        await call.RequestStream.WriteAsync(new StringValue { Value = "one" });
        Assert.True(await call.ResponseStream.MoveNext());

        call.Dispose();

        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new StringValue { Value = "two" }))).StatusCode);
        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext())).StatusCode);
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_fails_it_at_once()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.Echo, new StringValue(), new CallOptions(CancellationToken: cancellation.Token)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }
}
