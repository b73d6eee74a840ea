using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniKube.Grpc;
using MiniKube.Store.Backend;
using MiniKube.Store.Server.Services;

namespace MiniKube.Store.Server;

/// <summary>
/// A running store member: its data directory opened, its state recovered, and etcd's v3 gRPC
/// API served on its client URLs.
/// </summary>
/// <remarks>
/// Data directory layout: <c>db/</c> is the RocksDB database (every table of the store),
/// <c>tmp/</c> holds scratch space for snapshots and is emptied at start.
/// </remarks>
public sealed class StoreMember : IAsyncDisposable
{
    public const string DatabaseDirectoryName = "db";
    public const string TempDirectoryName = "tmp";

    private readonly WebApplication _app;
    private readonly IBackend _backend;

    private StoreMember(WebApplication app, StoreServer server, IBackend backend, IReadOnlyList<Uri> clientUrls)
    {
        _app = app;
        Server = server;
        _backend = backend;
        ClientUrls = clientUrls;
    }

    public StoreServer Server { get; }

    /// <summary>The URLs actually listened on (a port 0 in the options is replaced by the bound port).</summary>
    public IReadOnlyList<Uri> ClientUrls { get; }

    public static async Task<StoreMember> StartAsync(StoreOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var dataDir = options.ResolvedDataDir;
        Directory.CreateDirectory(dataDir);
        var temp = Path.Combine(dataDir, TempDirectoryName);
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", options.LogLevel <= LogLevel.Debug ? options.LogLevel : LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureForGrpc();
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = 64 * 1024;
            foreach (var url in options.ListenClientUrls)
            {
                Listen(kestrel, url);
            }
        });

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var backend = RocksDbBackend.Open(Path.Combine(dataDir, DatabaseDirectoryName));
        StoreServer? server = null;
        try
        {
            server = new StoreServer(backend, options, time ?? TimeProvider.System, loggers);
            var registry = new GrpcServiceRegistry();
            new KvService(server).Register(registry);
            new WatchService(server).Register(registry);
            new LeaseService(server).Register(registry);
            new MaintenanceService(server).Register(registry);
            new ClusterService(server).Register(registry);
            app.UseGrpcServices(registry, new GrpcServerOptions { MaxReceiveMessageSize = options.MaxReceiveMessageBytes });
            var stopping = server;
            app.Lifetime.ApplicationStopping.Register(stopping.BeginShutdown);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))).ToList();
            var logger = loggers.CreateLogger("store");
            logger.LogInformation(
                "store member {Name} ({MemberId:x16}) of cluster {ClusterId:x16} serving clients on {Urls}, data in {DataDir}, revision {Revision}",
                options.Name, server.Identity.MemberId, server.Identity.ClusterId, string.Join(",", bound), Path.GetFullPath(dataDir), server.Mvcc.Revision);
            return new StoreMember(app, server, backend, bound);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            backend.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, Ctrl+C) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        _backend.Dispose();
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"unsupported scheme in listen URL {url}: only http (h2c) is served for now");
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseGrpcAuthorityNormalization();
        }

        if (url.Host is "localhost")
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (url.Host is "0.0.0.0" or "*" or "[::]")
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, Configure);
        }
    }
}
