using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MiniKube.ApiServer.Endpoints;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Storage;
using MiniKube.ApiServer.Storage.Cache;
using MiniKube.Etcd.Client;

namespace MiniKube.ApiServer;

/// <summary>
/// A running apiserver: Kestrel on the insecure port, the REST handlers, discovery, health and
/// metrics, over one etcd client. Start with <see cref="StartAsync"/>, stop by disposing.
/// </summary>
public sealed class ApiServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EtcdClient _client;
    private readonly IObjectStorage _storage;
    private readonly BackgroundLoops _loops;
    private readonly CancellationTokenSource _stopping;

    private ApiServerHost(WebApplication app, EtcdClient client, IObjectStorage storage, BackgroundLoops loops, CancellationTokenSource stopping, Uri url)
    {
        _stopping = stopping;
        _app = app;
        _client = client;
        _storage = storage;
        _loops = loops;
        Url = url;
    }

    /// <summary>Where the API is served, e.g. http://127.0.0.1:8080.</summary>
    public Uri Url { get; }

    public static async Task<ApiServerHost> StartAsync(ApiServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = options.EtcdServers,
            DefaultRequestTimeout = options.StoreRequestTimeout,
            TimeProvider = options.TimeProvider,
        });
        var metrics = new ApiMetrics();
        var etcdStorage = new Etcd3Storage(client, options.EtcdPrefix)
        {
            ObserveCall = (resource, elapsed) => metrics.StoreLatency.WithLabels("call", resource).Observe(elapsed.TotalSeconds),
        };
        var cache = options.WatchCache ? new CachedStorage(etcdStorage, options.TimeProvider, options.BookmarkInterval) : null;
        IObjectStorage storage = cache is null ? etcdStorage : cache;
        var registry = new ResourceRegistry(storage, options.TimeProvider);
        var health = new StoreHealth(etcdStorage);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                // A failure to start is reported once, by the command, without the host's stack trace.
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
                // Only request start/finish lines (Information) are written there, never shown at Warning; but while that
                // logger is enabled at all, ASP.NET Core starts an Activity and a log scope for every request (~1% of CPU).
                .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.BindAddress), options.InsecurePort);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddSingleton(options.TimeProvider);
        var app = builder.Build();
        // Canceled first on shutdown, so open watches end at once instead of holding the server for Kestrel's grace period.
        var stopping = new CancellationTokenSource();
        var handler = new ResourceHandler(registry, new TablePrinting(options.TimeProvider), metrics, options.TimeProvider, stopping.Token);
        app.Use(async (context, next) =>
        {
            var start = options.TimeProvider.GetTimestamp();
            RequestInfo? info = null;
            try
            {
                info = RequestInfo.Parse(context.Request.Method, context.Request.Path.Value ?? "/",
                    ResourceHandler.ParseBool(context, "watch"));
                await next(context).ConfigureAwait(false);
            }
            catch (ApiException e) when (!context.Response.HasStarted)
            {
                await Responses.WriteErrorAsync(context, e).ConfigureAwait(false);
            }
            catch (StorageException e) when (!context.Response.HasStarted)
            {
                var error = e.Code == StorageErrorCode.Unavailable ? ApiException.ServiceUnavailable(e.Message) : ApiException.Internal(e.Message);
                await Responses.WriteErrorAsync(context, error).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client left.
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                app.Logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                await Responses.WriteErrorAsync(context, ApiException.Internal(e.Message)).ConfigureAwait(false);
            }
            finally
            {
                metrics.Observe(context, info, options.TimeProvider.GetElapsedTime(start));
            }
        });

        var address = $"{options.BindAddress}:{options.InsecurePort}";
        app.MapGet("/version", (HttpContext c) => Responses.WriteAsync(c, 200, Discovery.Version()));
        app.MapGet("/api", (HttpContext c) => Responses.WriteAsync(c, 200, Discovery.CoreVersions(c.Request.Host.Value ?? address)));
        app.MapGet("/apis", (HttpContext c) => Responses.WriteAsync(c, 200, Discovery.Groups()));
        app.MapGet("/api/v1", (HttpContext c) => Responses.WriteAsync(c, 200, Discovery.Resources("", "v1")!));
        app.MapGet("/openapi/v3", (HttpContext c) => Responses.WriteAsync(c, 200, OpenApi.Root()));
        app.MapGet("/openapi/v3/{**path}", (HttpContext c, string path)
            => Responses.WriteAsync(c, 200, OpenApi.GroupVersion(path) ?? throw ApiException.PageNotFound()));
        app.MapGet("/metrics", metrics.WriteAsync);
        foreach (var check in new[] { "/healthz", "/livez", "/readyz" })
        {
            var needsStore = check != "/livez";
            app.MapGet(check, (HttpContext c) => health.WriteAsync(c, needsStore, verbose: c.Request.Query.ContainsKey("verbose")));
            app.MapGet(check + "/{name}", (HttpContext c, string name) => health.WriteOneAsync(c, name));
        }

        app.Map("/api/{**rest}", (HttpContext c) => Dispatch(c, handler));
        app.Map("/apis/{**rest}", (HttpContext c) => Dispatch(c, handler));
        app.MapFallback((HttpContext c) => Responses.WriteErrorAsync(c, ApiException.PageNotFound()));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(bound.Replace("[::]", options.BindAddress, StringComparison.Ordinal));
        var loops = new BackgroundLoops(app.Logger);
        loops.Start(ct => Compactor.RunAsync(client, options.CompactionInterval, options.TimeProvider, app.Logger, ct));
        loops.Start(ct => NamespaceCleaner.RunAsync(registry, app.Logger, ct));
        await registry.EnsureSystemNamespacesAsync(cancellationToken).ConfigureAwait(false);
        if (cache is not null)
        {
            await cache.StartAsync(ResourceRegistry.Resources.Select(r => r.PrefixFor(null)), cancellationToken).ConfigureAwait(false);
        }
        return new ApiServerHost(app, client, storage, loops, stopping, url);
    }

    /// <summary>Runs until the token is canceled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loops.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _storage.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static Task Dispatch(HttpContext context, ResourceHandler handler)
    {
        // /apis/{group} and /apis/{group}/{version} are discovery, the rest are resources.
        var parts = (context.Request.Path.Value ?? "/").Trim('/').Split('/');
        if (context.Request.Method is "GET" && parts[0] == "apis" && parts.Length is 2 or 3)
        {
            var document = parts.Length == 2 ? Discovery.Group(parts[1]) : Discovery.Resources(parts[1], parts[2]);
            return Responses.WriteAsync(context, 200, document ?? throw ApiException.PageNotFound());
        }

        var info = RequestInfo.Parse(context.Request.Method, context.Request.Path.Value ?? "/", ResourceHandler.ParseBool(context, "watch"))
            ?? throw ApiException.PageNotFound();
        return handler.HandleAsync(context, info);
    }

    internal static JsonObject Ok() => new() { ["status"] = "ok" };
}
