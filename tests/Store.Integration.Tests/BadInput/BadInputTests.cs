using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.BadInput;

/// <summary>
/// Requests no etcd client sends, by hand over HTTP/2 and raw TCP, against the store and a real
/// etcd: each must end its own call or connection with an error, while a well-behaved client on
/// another connection keeps getting correct answers.
/// </summary>
public abstract partial class BadInputTests(ServerFixture server) : IDisposable
{
    private const string Range = "/etcdserverpb.KV/Range";
    private const string Put = "/etcdserverpb.KV/Put";

    private readonly RawGrpc _raw = new();

    private Uri Url => server.Server.ClientUrl;

    /// <summary>
    /// Bodies that are not one well-formed request message. The codes differ by gRPC version
    /// (etcd 3.4's grpc-go answers a short body with Unknown "unexpected EOF", newer grpc-go and
    /// the store with Internal; C#'s protobuf skips a field with the wrong wire type where Go's
    /// refuses it), so what is checked is that the call ends with an error and nothing else does.
    /// </summary>
    public static TheoryData<string, byte[]> MalformedBodies => new()
    {
        { "truncated prefix", [0, 0, 0] },
        { "length beyond the body", [0, 0, 0, 0, 10, 1, 2, 3] },
        { "no message at all", [] },
        { "undecodable protobuf", RawGrpc.Frame([0x0A, 0x05, 0x61]) },
        { "wrong wire type for the key", RawGrpc.Frame([0x08, 0x01]) },
        { "compressed flag without an encoding", RawGrpc.Frame(new RangeRequest { Key = B("k") }.ToByteArray(), flag: 1) },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_request_body_ends_its_call_with_an_error_status(string name, byte[] body)
    {
        _ = name;
        await using var canary = new Canary(Url);

        var outcome = await _raw.CallAsync(Url, Range, body);

        Assert.Equal(HttpStatusCode.OK, outcome.HttpStatus);
        Assert.True(outcome.GrpcStatus is not null and not StatusCode.OK, outcome.ToString());
        Assert.Empty(outcome.Body);
        await canary.StopAndAssertHealthyAsync();
    }

    [Fact]
    public async Task A_message_declaring_a_length_over_the_limit_is_ResourceExhausted_without_the_server_reading_it()
    {
        await using var canary = new Canary(Url);

        var outcome = await _raw.CallAsync(Url, Put, RawGrpc.Frame(new byte[100], declaredLength: 100 * 1024 * 1024));

        Assert.True(outcome.GrpcStatus == StatusCode.ResourceExhausted, outcome.ToString());
        Assert.StartsWith("grpc: received message larger than max (104857600 vs. ", outcome.GrpcMessage, StringComparison.Ordinal);
        await canary.StopAndAssertHealthyAsync();
    }

    [Theory]
    [InlineData("/etcdserverpb.KV/Nope", "unknown method Nope for service etcdserverpb.KV")]
    [InlineData("/etcdserverpb.Nope/Range", "unknown service etcdserverpb.Nope")]
    public async Task An_unknown_method_or_service_is_Unimplemented(string path, string message)
    {
        await using var canary = new Canary(Url);

        var outcome = await _raw.CallAsync(Url, path, RawGrpc.Frame(new RangeRequest { Key = B("k") }));

        Assert.True(outcome.GrpcStatus == StatusCode.Unimplemented, outcome.ToString());
        Assert.Equal(message, outcome.GrpcMessage);
        await canary.StopAndAssertHealthyAsync();
    }

    [Fact]
    public async Task A_malformed_method_name_is_an_error()
    {
        await using var canary = new Canary(Url);

        var outcome = await _raw.CallAsync(Url, "/nothing", RawGrpc.Frame(new RangeRequest { Key = B("k") }));

        // etcd 3.4's grpc-go answers ResourceExhausted here (newer ones Unimplemented, as the store).
        Assert.True(outcome.GrpcStatus is not null and not StatusCode.OK, outcome.ToString());
        Assert.Equal("malformed method name: \"/nothing\"", outcome.GrpcMessage);
        await canary.StopAndAssertHealthyAsync();
    }

    [Fact]
    public async Task A_wrong_content_type_is_refused()
    {
        await using var canary = new Canary(Url);

        // etcd 3.4 resets the stream; the store answers 415 with InvalidArgument, as newer grpc-go does.
        try
        {
            var outcome = await _raw.CallAsync(Url, Range, RawGrpc.Frame(new RangeRequest { Key = B("k") }), contentType: "application/json");
            Assert.True(outcome.HttpStatus != HttpStatusCode.OK || outcome.GrpcStatus is not (null or StatusCode.OK), outcome.ToString());
        }
        catch (HttpRequestException e) when (e.InnerException is HttpProtocolException)
        {
        }

        await canary.StopAndAssertHealthyAsync();
    }

    [Fact]
    public async Task A_second_request_message_on_a_unary_call_is_ignored_as_etcd_ignores_it()
    {
        var p = UniquePrefix("bad-input");
        await server.Api.PutAsync(p + "k", "v");
        var first = RawGrpc.Frame(new RangeRequest { Key = B(p + "k") });
        var second = RawGrpc.Frame(new RangeRequest { Key = B(p + "other") });

        var outcome = await _raw.CallAsync(Url, Range, [.. first, .. second]);

        Assert.True(outcome.GrpcStatus == StatusCode.OK, outcome.ToString());
        Assert.Equal(p + "k", S(Assert.Single(RangeResponse.Parser.ParseFrom(outcome.Body.AsSpan(5)).Kvs).Key));
    }

    [Fact]
    public async Task A_well_formed_raw_call_succeeds_and_an_inverted_range_is_empty_not_an_error()
    {
        var p = UniquePrefix("bad-input");
        await server.Api.PutAsync(p + "b", "v");

        var outcome = await _raw.CallAsync(Url, Range, RawGrpc.Frame(new RangeRequest { Key = B(p + "c"), RangeEnd = B(p + "a") }));

        Assert.Equal(StatusCode.OK, outcome.GrpcStatus);
        var response = RangeResponse.Parser.ParseFrom(outcome.Body.AsSpan(5));
        Assert.Empty(response.Kvs);
        Assert.Equal(0, response.Count);
    }

    [Theory]
    [InlineData("random bytes")]
    [InlineData("HTTP/1.1 request")]
    [InlineData("HTTP/2 preface then a garbage frame")]
    [InlineData("HTTP/2 preface then a DATA frame on stream 0")]
    public async Task Garbage_on_a_raw_connection_closes_that_connection_only(string garbage)
    {
        await using var canary = new Canary(Url);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Url.Port);
        var stream = tcp.GetStream();
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        byte[] emptySettings = [0, 0, 0, 4, 0, 0, 0, 0, 0];
        byte[] bytes = garbage switch
        {
            "random bytes" => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))],
            "HTTP/1.1 request" => "GET /etcdserverpb.KV/Range HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(),
            "HTTP/2 preface then a garbage frame" => [.. preface, .. emptySettings, 0xff, 0xff, 0xff, 0xee, 0xff, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3],
            _ => [.. preface, .. emptySettings, 0, 0, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
        };

        await stream.WriteAsync(bytes);

        // Whatever the server answers first (a GOAWAY, an HTTP/1.1 error), it then closes the
        // connection; etcd, which serves HTTP/1.1 on the same port, may keep it open after its error.
        var received = new List<byte>();
        var buffer = new byte[65536];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, patience.Token)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, read));
                if (HttpError().IsMatch(System.Text.Encoding.ASCII.GetString([.. received])))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // reset by the server: closed as well
        }
        catch (OperationCanceledException)
        {
        }

        Assert.False(patience.IsCancellationRequested, $"the server kept the connection open without an error; it sent {received.Count} bytes");
        await canary.StopAndAssertHealthyAsync();
    }

    [Fact]
    public async Task Many_bad_calls_at_once_leave_the_server_serving()
    {
        await using var canary = new Canary(Url);
        var bodies = MalformedBodies.Select(row => (byte[])row[1]).ToArray();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => _raw.CallAsync(Url, i % 2 == 0 ? Range : Put, bodies[i % bodies.Length])));

        Assert.All(outcomes, o => Assert.True(o.GrpcStatus is not null and not StatusCode.OK, o.ToString()));
        await canary.StopAndAssertHealthyAsync();
    }

    [GeneratedRegex(@"^HTTP/1\.[01] [45][0-9][0-9] ")]
    private static partial Regex HttpError();

    public void Dispose()
    {
        _raw.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class BadInputOnMiniKube(MiniKubeFixture server) : BadInputTests(server), IClassFixture<MiniKubeFixture>;

public sealed class BadInputOnEtcd(EtcdFixture server) : BadInputTests(server), IClassFixture<EtcdFixture>;
