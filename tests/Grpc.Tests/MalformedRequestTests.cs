using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

/// <summary>Requests our client never sends, made by hand: each must end its own call with the right status, nothing more.</summary>
public sealed class MalformedRequestTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>, IDisposable
{
    private readonly HttpClient _client = RawGrpc.CreateClient();

    public static TheoryData<string, byte[], string, StatusCode, string> Bodies => new()
    {
        { "truncated prefix", [0, 0, 0], "", StatusCode.Internal, "grpc: request stream ended inside a message" },
        { "length beyond the body", [0, 0, 0, 0, 10, 1, 2, 3], "", StatusCode.Internal, "grpc: request stream ended inside a message" },
        { "no message", [], "", StatusCode.Internal, "grpc: request stream ended without a request message" },
        { "undecodable protobuf", RawGrpc.Frame([0x0A, 0x05, 0x61]), "", StatusCode.Internal, "grpc: error unmarshalling request: " },
        { "compressed, unknown encoding", RawGrpc.Frame(new StringValue { Value = "x" }, flag: 1), "gzip", StatusCode.Unimplemented, "grpc: Decompressor is not installed for grpc-encoding \"gzip\"" },
        { "compressed, no encoding", RawGrpc.Frame(new StringValue { Value = "x" }, flag: 1), "", StatusCode.Internal, "grpc: compressed flag set with identity or empty encoding" },
        { "unknown payload format", RawGrpc.Frame(new StringValue { Value = "x" }, flag: 7), "", StatusCode.Internal, "grpc: received unexpected payload format 7" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_request_bodies_end_the_call_with_a_status(string name, byte[] body, string encoding, StatusCode code, string detailPrefix)
    {
        _ = name;
        (string, string)[] headers = encoding.Length > 0 ? [("grpc-encoding", encoding)] : [];

        using var response = await RawGrpc.SendAsync(_client, fixture.Server.Address, "/test.Echo/Echo", body, headers: headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), RawGrpc.Header(response, "grpc-status"));
        Assert.StartsWith(detailPrefix, Uri.UnescapeDataString(RawGrpc.Header(response, "grpc-message")!), StringComparison.Ordinal);
        Assert.Equal("ok", (await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "ok" })).Value);
    }

    [Fact]
    public async Task A_wrong_content_type_is_415_with_InvalidArgument()
    {
        using var response = await RawGrpc.SendAsync(_client, fixture.Server.Address, "/test.Echo/Echo", [], contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("3", RawGrpc.Header(response, "grpc-status"));
        Assert.Equal("invalid gRPC request content-type \"application/json\"", Uri.UnescapeDataString(RawGrpc.Header(response, "grpc-message")!));
    }

    [Fact]
    public async Task A_method_other_than_POST_is_405_as_grpc_go_answers()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Server.Address, "/test.Echo/Echo"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("13", RawGrpc.Header(response, "grpc-status"));
    }

    [Fact]
    public async Task A_malformed_grpc_timeout_is_400_with_Internal()
    {
        using var response = await RawGrpc.SendAsync(_client, fixture.Server.Address, "/test.Echo/Echo", RawGrpc.Frame(new StringValue()), headers: [("grpc-timeout", "18f6n")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("13", RawGrpc.Header(response, "grpc-status"));
        Assert.StartsWith("malformed grpc-timeout", Uri.UnescapeDataString(RawGrpc.Header(response, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HTTP_1_request_is_426_on_an_endpoint_that_speaks_both()
    {
        var service = new TestService();
        await using var server = await TestServer.StartGrpcAsync(service.Register, protocols: HttpProtocols.Http1AndHttp2);

        using var response = await RawGrpc.SendAsync(_client, server.Address, "/test.Echo/Echo", RawGrpc.Frame(new StringValue()), version: HttpVersion.Version11);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task An_HTTP_1_request_on_an_HTTP_2_only_endpoint_fails_that_connection_only()
    {
        using var response = await RawGrpc.SendAsync(_client, fixture.Server.Address, "/test.Echo/Echo", RawGrpc.Frame(new StringValue()), version: HttpVersion.Version11);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await fixture.Channel.UnaryAsync(TestService.Echo, new StringValue { Value = "ok" })).Value);
    }

    public void Dispose() => _client.Dispose();
}
