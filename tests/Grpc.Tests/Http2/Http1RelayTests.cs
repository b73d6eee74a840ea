using System.Net;
using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MiniKube.Grpc.Http2;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests.Http2;

/// <summary>
/// One cleartext port for h2c and HTTP/1.1: gRPC and HTTP/2 clients reach Kestrel's HTTP/2,
/// everything else is relayed to the same application's HTTP/1.1 listener.
/// </summary>
public sealed class Http1RelayTests : IAsyncLifetime
{
    // Short, for the test of a silent client; long enough that a loaded machine still sends its preface in time.
    private static readonly TimeSpan PrefaceTimeout = TimeSpan.FromSeconds(5);

    private WebApplication? _app;
    private Uri? _address;

    private Uri Address => _address ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var http1 = new UnixDomainSocketEndPoint($"\0minikube-relay-test-{Guid.NewGuid():N}");
        ListenOptions? h2c = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureForGrpc();
            kestrel.Listen(http1, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                h2c = listen;
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttp1Relay(http1, PrefaceTimeout);
            });
        });
        _app = builder.Build();
        var registry = new GrpcServiceRegistry();
        new TestService().Register(registry);
        _app.Use(async (context, next) =>
        {
            if (GrpcRequest.IsGrpc(context.Request))
            {
                await next(context);
                return;
            }

            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            await context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Method} {context.Request.Path} {body.Length}");
        });
        _app.UseGrpcServices(registry);
        await _app.StartAsync();
        _address = new Uri($"http://127.0.0.1:{h2c!.IPEndPoint!.Port}");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_gRPC_call_goes_to_HTTP_2()
    {
        using var channel = GrpcChannel.ForAddress(Address);

        var reply = await channel.UnaryAsync(TestService.Echo, new StringValue { Value = "over h2c" });

        Assert.Equal("over h2c", reply.Value);
    }

    [Fact]
    public async Task HTTP_1_1_requests_are_answered_by_the_same_application_on_one_kept_alive_connection()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler) { BaseAddress = Address };

        var first = await http.GetStringAsync("/health");
        using var post = await http.PostAsync("/upload", new ByteArrayContent(new byte[1_000_000]));

        Assert.Equal("HTTP/1.1 GET /health 0", first);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("HTTP/1.1 POST /upload 1000000", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_plain_HTTP_2_request_with_prior_knowledge_stays_on_HTTP_2()
    {
        using var http = new HttpClient { BaseAddress = Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.GetAsync("/plain");

        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("HTTP/2 GET /plain 0", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_preface_sent_a_byte_at_a_time_is_still_recognised()
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, Address.Port);
        var stream = tcp.GetStream();

        foreach (var b in Http1Relay.Preface.ToArray())
        {
            await stream.WriteAsync(new[] { b });
            await Task.Delay(5);
        }

        await stream.WriteAsync(H2Frames.Settings());
        var header = new byte[9];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0x4, header[3]); // the server's first frame is its SETTINGS
    }

    [Fact]
    public async Task A_client_that_sends_nothing_is_disconnected_after_the_preface_timeout()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Address.Port);

        var read = await tcp.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(PrefaceTimeout * 4);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Garbage_gets_an_HTTP_1_1_error_and_the_port_keeps_serving()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Address.Port);
        var stream = tcp.GetStream();

        await stream.WriteAsync("\x01\x02garbage\r\n\r\n"u8.ToArray());
        var reply = await new StreamReader(stream).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 400 ", reply, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = Address };
        Assert.Equal("HTTP/1.1 GET /after 0", await http.GetStringAsync("/after"));
    }
}
