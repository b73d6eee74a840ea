using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 and a free port, started and stopped by a test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address, ListLoggerProvider logs)
    {
        _app = app;
        Address = address;
        Logs = logs;
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>Messages logged by the server, for tests that check what was reported.</summary>
    public ListLoggerProvider Logs { get; }

    public static Task<TestServer> StartGrpcAsync(
        Action<GrpcServiceRegistry> register,
        GrpcServerOptions? options = null,
        bool normalizeAuthority = false,
        HttpProtocols protocols = HttpProtocols.Http2)
    {
        var registry = new GrpcServiceRegistry();
        register(registry);
        return StartAsync(app => app.UseGrpcServices(registry, options), normalizeAuthority, protocols);
    }

    /// <summary>A plain (non-gRPC) HTTP/2 server, to see how the client takes other replies.</summary>
    public static Task<TestServer> StartPlainAsync(RequestDelegate handler)
        => StartAsync(app => app.Run(handler), normalizeAuthority: false, HttpProtocols.Http2);

    private static async Task<TestServer> StartAsync(Action<IApplicationBuilder> configure, bool normalizeAuthority, HttpProtocols protocols)
    {
        var logs = new ListLoggerProvider();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddProvider(logs);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureForGrpc();
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = protocols;
                if (normalizeAuthority)
                {
                    listen.UseGrpcAuthorityNormalization();
                }
            });
        });
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestServer(app, new Uri(address), logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
