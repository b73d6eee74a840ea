using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class UnaryTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    [Fact]
    public async Task Unary_call_returns_the_handlers_response()
    {
        var response = await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "hello" });

        Assert.Equal("hello", response.Value);
    }

    [Fact]
    public async Task Unary_call_with_empty_messages_round_trips()
    {
        // An empty message is a 5-byte frame with length 0: no payload at all.
        var response = await fixture.Channel.UnaryAsync(TestService.Nothing, new Empty());

        Assert.Equal(new Empty(), response);
    }

    [Fact]
    public async Task Many_concurrent_unary_calls_share_one_channel()
    {
        const int Calls = 2_000;
        using var gate = new SemaphoreSlim(100);
        var tasks = Enumerable.Range(0, Calls).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = $"call {i}" });
                return response.Value == $"call {i}";
            }
            finally
            {
                gate.Release();
            }
        });

        var results = await Task.WhenAll(tasks);

        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task Large_messages_cross_many_frames_both_ways()
    {
        var size = await fixture.Channel.UnaryAsync(TestService.Measure, new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[3_000_000]) });
        var bytes = await fixture.Channel.UnaryAsync(TestService.Bytes, new Int64Value { Value = 3_000_000 });

        Assert.Equal(3_000_000, size.Value);
        Assert.Equal(3_000_000, bytes.Value.Length);
    }

    [Fact]
    public async Task Request_metadata_reaches_the_handler_with_peer_and_method()
    {
        var headers = new Metadata { { "X-Tenant", "blue" } };

        var response = await fixture.Channel.UnaryAsync(TestService.Headers, new StringValue { Value = "x-tenant" }, new CallOptions(Headers: headers));

        var parts = response.Value.Split('|');
        Assert.Equal("blue", parts[0]);
        Assert.StartsWith("ipv4:127.0.0.1:", parts[1], StringComparison.Ordinal);
        Assert.Equal("/test.Echo/Headers", parts[2]);
        Assert.Equal($"127.0.0.1:{fixture.Server.Port}", parts[3]);
    }
}
