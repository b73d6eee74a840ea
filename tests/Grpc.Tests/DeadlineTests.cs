using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class DeadlineTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_client_deadline_fails_the_call_and_cancels_the_handler()
    {
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);
        var deadline = DateTime.UtcNow.AddMilliseconds(300);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.WaitForCancellation, new StringValue { Value = id }, new CallOptions(Deadline: deadline)));

        Assert.Equal(new Status(StatusCode.DeadlineExceeded, "context deadline exceeded"), error.Status);
        await observation.Cancelled.Task.WaitAsync(Patience);
        // The handler saw the deadline carried by grpc-timeout (to within timer and clock slack).
        Assert.InRange(observation.Deadline!.Value, deadline.AddMilliseconds(-300), deadline.AddMilliseconds(300));
    }

    [Fact]
    public async Task The_server_enforces_grpc_timeout_on_its_own()
    {
        // A raw client that never gives up, so only the server's deadline can end the call.
        using var client = RawGrpc.CreateClient();
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);

        using var response = await RawGrpc.SendAsync(client, fixture.Server.Address, "/test.Echo/WaitForCancellation", RawGrpc.Frame(new StringValue { Value = id }), headers: [("grpc-timeout", "200m")]);

        Assert.Equal("4", RawGrpc.Header(response, "grpc-status"));
        Assert.Equal("context deadline exceeded", RawGrpc.Header(response, "grpc-message"));
        Assert.True(observation.Cancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task The_server_answers_at_the_deadline_even_if_the_handler_ignores_its_token()
    {
        using var client = RawGrpc.CreateClient();
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);
        var stopwatch = Stopwatch.StartNew();

        using var response = await RawGrpc.SendAsync(client, fixture.Server.Address, "/test.Echo/IgnoreCancellation", RawGrpc.Frame(new StringValue { Value = id }), headers: [("grpc-timeout", "200m")])
            .WaitAsync(Patience);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("4", RawGrpc.Header(response, "grpc-status"));
        Assert.Empty(body);
        Assert.False(observation.Finished.Task.IsCompleted);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));

        // The late response is dropped; the server stays healthy.
        observation.Release.SetResult();
        await observation.Finished.Task.WaitAsync(Patience);
        Assert.Equal("ok", (await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "ok" })).Value);
    }

    [Fact]
    public async Task A_deadline_already_past_fails_without_sending()
    {
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);

        var unary = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.WaitForCancellation, new StringValue { Value = id }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))));
        using var stream = fixture.Channel.ServerStreaming(TestService.Count, new Int64Value { Value = 1 }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1)));
        var streaming = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.DeadlineExceeded, unary.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, streaming.StatusCode);
        Assert.False(observation.Started.Task.IsCompleted);
    }

    [Fact]
    public async Task A_deadline_ends_a_stream_that_is_waiting_for_messages()
    {
        var id = Guid.NewGuid().ToString();
        var observation = fixture.Service.Observe(id);
        using var call = fixture.Channel.ServerStreaming(TestService.StreamUntilCancelled, new StringValue { Value = id }, new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.True(await call.ResponseStream.MoveNext());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
        await observation.Cancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_generous_deadline_does_not_disturb_a_quick_call()
    {
        var response = await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "quick" }, new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(1)));

        Assert.Equal("quick", response.Value);
    }
}
