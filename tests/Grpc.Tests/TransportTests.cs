using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class TransportTests
{
    [Fact]
    public async Task A_refused_connection_is_Unavailable()
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{FreePort.Next()}"));

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Echo, new StringValue()));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, StatusCode.Unimplemented)]
    [InlineData(HttpStatusCode.ServiceUnavailable, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.TooManyRequests, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.Unauthorized, StatusCode.Unauthenticated)]
    [InlineData(HttpStatusCode.Forbidden, StatusCode.PermissionDenied)]
    [InlineData(HttpStatusCode.BadRequest, StatusCode.Internal)]
    [InlineData(HttpStatusCode.InternalServerError, StatusCode.Unknown)]
    public async Task HTTP_errors_map_to_grpc_codes(HttpStatusCode httpStatus, StatusCode expected)
    {
        await using var server = await TestServer.StartPlainAsync(context =>
        {
            context.Response.StatusCode = (int)httpStatus;
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(server.Address);

        var unary = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Echo, new StringValue()));
        using var call = channel.ServerStreaming(TestService.Count, new Int64Value());
        var streaming = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(expected, unary.StatusCode);
        Assert.Equal(expected, streaming.StatusCode);
    }

    [Fact]
    public async Task A_reply_that_is_not_grpc_is_Unknown()
    {
        await using var server = await TestServer.StartPlainAsync(context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html/>");
        });
        using var channel = GrpcChannel.ForAddress(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Echo, new StringValue()));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("text/html", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_resets_the_stream_fails_the_call()
    {
        await using var server = await TestServer.StartPlainAsync(context =>
        {
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResetFeature>()!.Reset(0x2 /* INTERNAL_ERROR */);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.Echo, new StringValue()));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task A_server_that_stops_during_a_stream_fails_the_reader()
    {
        var service = new TestService();
        var server = await TestServer.StartGrpcAsync(service.Register);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var id = Guid.NewGuid().ToString();
        using var call = channel.ServerStreaming(TestService.StreamUntilCancelled, new StringValue { Value = id });
        Assert.True(await call.ResponseStream.MoveNext());

        await server.DisposeAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Cancelled, StatusCode.Internal });
    }
}
