using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class StatusTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    [Theory]
    [InlineData("key not found")]
    [InlineData("100% sure: clé «introuvable» — 鍵が見つかりません ✓")]
    [InlineData("")]
    [InlineData("line\nbreak and %41 literal")]
    public async Task RpcException_from_a_handler_reaches_the_client_with_its_code_and_detail(string detail)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.FailNotFound, new StringValue { Value = detail }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(detail, error.Status.Detail);
        Assert.Equal(detail, error.Message);
    }

    [Fact]
    public async Task Other_exceptions_become_Unknown_with_their_message_and_are_logged()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.Throw, new StringValue { Value = "boom" }));

        Assert.Equal(new Status(StatusCode.Unknown, "boom"), error.Status);
        Assert.Contains(fixture.Server.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException { Message: "boom" });
    }

    [Theory]
    [InlineData("test.Echo", "Missing", "unknown method Missing for service test.Echo")]
    [InlineData("etcdserverpb.Foo", "Range", "unknown service etcdserverpb.Foo")]
    public async Task Unknown_methods_and_services_are_Unimplemented_in_grpc_go_wording(string service, string method, string detail)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(new Method<Empty, Empty>(service, method, Empty.Parser), new Empty()));

        Assert.Equal(new Status(StatusCode.Unimplemented, detail), error.Status);
    }

    [Fact]
    public async Task Errors_before_any_message_are_sent_trailers_only()
    {
        using var client = RawGrpc.CreateClient();

        using var response = await RawGrpc.SendAsync(client, fixture.Server.Address, "/test.Echo/FailNotFound", RawGrpc.Frame(new StringValue { Value = "gone" }));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5", RawGrpc.Header(response, "grpc-status"));
        Assert.Equal("gone", RawGrpc.Header(response, "grpc-message"));
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(body);
        Assert.Empty(response.TrailingHeaders);
    }

    [Fact]
    public async Task Successful_calls_send_the_status_as_trailers_after_the_message()
    {
        using var client = RawGrpc.CreateClient();

        using var response = await RawGrpc.SendAsync(client, fixture.Server.Address, "/test.Echo/Echo", RawGrpc.Frame(new StringValue { Value = "hi" }));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Null(RawGrpc.Header(response, "grpc-status"));
        Assert.Equal(RawGrpc.Frame(new StringValue { Value = "hi" }), body);
        Assert.Equal("0", RawGrpc.Trailer(response, "grpc-status"));
    }

    [Fact]
    public async Task A_failing_call_leaves_the_connection_serving_others()
    {
        await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(TestService.Throw, new StringValue { Value = "x" }));

        var response = await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "still here" });

        Assert.Equal("still here", response.Value);
    }
}
