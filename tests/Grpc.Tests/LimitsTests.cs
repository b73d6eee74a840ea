using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class LimitsTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private static BytesValue Payload(int size) => new() { Value = ByteString.CopyFrom(new byte[size]) };

    [Fact]
    public async Task A_request_over_the_servers_limit_is_ResourceExhausted_and_the_server_keeps_serving()
    {
        // 5 MiB against the default 4 MiB limit; larger than the stream window, so the server must
        // answer without reading the rest of the body.
        var message = Payload(5 * 1024 * 1024);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.Measure, message));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal($"grpc: received message larger than max ({message.CalculateSize()} vs. 4194304)", error.Status.Detail);
        Assert.Equal("after", (await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "after" })).Value);
        Assert.Equal(4 * 1024 * 1024, (await fixture.Channel.UnaryAsync(TestService.Measure, Payload(4 * 1024 * 1024 - 5))).Value + 5);
    }

    [Fact]
    public async Task An_oversized_message_in_a_duplex_stream_ends_only_that_call()
    {
        using var call = fixture.Channel.DuplexStreaming(TestService.MeasureEach);
        await call.RequestStream.WriteAsync(Payload(10));
        Assert.True(await call.ResponseStream.MoveNext());

        try
        {
            await call.RequestStream.WriteAsync(Payload(5 * 1024 * 1024));
        }
        catch (RpcException)
        {
            // The server may reset the request stream before the whole message is written.
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(3, (await fixture.Channel.UnaryAsync(TestService.Measure, Payload(3))).Value);
    }

    [Fact]
    public async Task A_response_over_the_clients_limit_is_ResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Bytes, new Int64Value { Value = 2000 }));
        var fits = await channel.UnaryAsync(TestService.Bytes, new Int64Value { Value = 990 });

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.StartsWith("grpc: received message larger than max (2003 vs. 1000)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(990, fits.Value.Length);
    }

    [Fact]
    public async Task A_response_over_the_servers_send_limit_is_ResourceExhausted()
    {
        var service = new TestService();
        await using var server = await TestServer.StartGrpcAsync(service.Register, new GrpcServerOptions { MaxSendMessageSize = 100, MaxReceiveMessageSize = 50 });
        using var channel = GrpcChannel.ForAddress(server.Address);

        var send = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Bytes, new Int64Value { Value = 200 }));
        var receive = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Measure, Payload(60)));

        Assert.Equal(new Status(StatusCode.ResourceExhausted, "grpc: trying to send message larger than max (203 vs. 100)"), send.Status);
        Assert.Equal(new Status(StatusCode.ResourceExhausted, "grpc: received message larger than max (62 vs. 50)"), receive.Status);
    }
}
