using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniKube.Grpc;
using MiniKube.RocksDb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Server.Http;
using MiniKube.Store.Server.Membership;
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
    /// <summary>
    /// The web hosts' options: no reloading of configuration files on change. By default a host
    /// watches its content root (the working directory, where the data directory also is by
    /// default) recursively for appsettings changes, so every write of the log woke a watcher
    /// thread: a fifth of the store's CPU in a profile of a 3-member put benchmark.
    /// </summary>
    private static readonly WebApplicationOptions HostOptions = new() { Args = ["--hostBuilder:reloadConfigOnChange=false"] };

    public const string DatabaseDirectoryName = "db";
    public const string TempDirectoryName = "tmp";

    private readonly WebApplication _app;
    private readonly WebApplication? _peerApp;
    private readonly PeerTransport? _transport;
    private readonly PeerLeaseForwarder? _forwarder;
    private readonly IBackend _backend;

    private StoreMember(WebApplication app, WebApplication? peerApp, PeerTransport? transport, PeerLeaseForwarder? forwarder, StoreServer server, IBackend backend, IReadOnlyList<Uri> clientUrls, IReadOnlyList<Uri> metricsUrls)
    {
        _app = app;
        _peerApp = peerApp;
        _transport = transport;
        _forwarder = forwarder;
        Server = server;
        _backend = backend;
        ClientUrls = clientUrls;
        MetricsUrls = metricsUrls;
    }

    public StoreServer Server { get; }

    /// <summary>The URLs actually listened on (a port 0 in the options is replaced by the bound port).</summary>
    public IReadOnlyList<Uri> ClientUrls { get; }

    /// <summary>The metrics URLs actually listened on, as <see cref="ClientUrls"/>.</summary>
    public IReadOnlyList<Uri> MetricsUrls { get; }

    public static async Task<StoreMember> StartAsync(StoreOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        if (options.Validate() is { } invalid)
        {
            throw new StoreStartException(invalid);
        }

        var dataDir = options.ResolvedDataDir;
        // The database's lock is taken first: a second member pointed at the same directory must
        // fail before it touches anything in it.
        var backend = OpenBackend(dataDir);
        try
        {
            var temp = Path.Combine(dataDir, TempDirectoryName);
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
        catch
        {
            backend.Dispose();
            throw;
        }

        var builder = WebApplication.CreateSlimBuilder(HostOptions);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", options.LogLevel <= LogLevel.Debug ? options.LogLevel : LogLevel.Warning);
        // A failure to start is reported once, by the caller, as one line (StoreStartException).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        // HTTP/1.1 clients of the client port (curl /health, Prometheus) are relayed to this
        // socket, where the same application listens with HTTP/1.1. Abstract (Linux): no file to
        // clean up, no path length limit, not reachable from the network.
        var http1Socket = new UnixDomainSocketEndPoint($"\0minikube-store-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var clientListeners = new List<ListenOptions>();
        var metricsListeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureForGrpc();
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = 64 * 1024;
            kestrel.Listen(http1Socket, listen => listen.Protocols = HttpProtocols.Http1);
            foreach (var url in options.ListenClientUrls)
            {
                Listen(kestrel, url, clientListeners, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listen.UseHttp1Relay(http1Socket);
                    listen.UseGrpcAuthorityNormalization();
                });
            }

            foreach (var url in options.ListenMetricsUrls)
            {
                Listen(kestrel, url, metricsListeners, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        StoreServer? server = null;
        PeerTransport? transport = null;
        WebApplication? peerApp = null;
        PeerLeaseForwarder? forwarder = null;
        try
        {
            // The identity is fixed before the Raft host starts, so the transport can name this
            // member and its cluster to peers; the server loads the same one.
            var initialMembers = options.ResolvedInitialCluster;
            var initialized = ClusterIdentity.Exists(backend);
            var joining = options.InitialClusterState == StoreOptions.ClusterStateExisting && !initialized;
            if (initialized)
            {
                // etcd with a WAL: the membership is the one replicated into the data directory;
                // --initial-cluster and --initial-cluster-state only bootstrap, and may be stale.
                loggers.CreateLogger("store").LogInformation(
                    "the server is already initialized as member before, starting as etcd member... (--initial-cluster and --initial-cluster-state are ignored; {Count} members in the data directory)",
                    MemberRegistry.Load(backend).Members.Count);
            }

            if (joining)
            {
                // etcd's join: the IDs come from the running cluster; the registry starts as it
                // answered, and the log empty until the leader sends entries or a snapshot.
                var own = options.ResolvedAdvertisePeerUrls.Select(ClusterService.Format).ToHashSet();
                var others = initialMembers.Where(m => !m.PeerUrls.Select(ClusterService.Format).Any(own.Contains)).SelectMany(m => m.PeerUrls);
                var (clusterId, memberId, remoteMembers) = await ClusterDiscovery.JoinAsync(options.ResolvedAdvertisePeerUrls, others, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                ClusterIdentity.Save(backend, clusterId, memberId);
                MemberRegistry.Load(backend).Seed(backend, remoteMembers);
            }

            var identity = ClusterIdentity.LoadOrCreate(backend, options, initialMembers);
            var peers = initialMembers.Where(m => m.Id != identity.MemberId).ToList();
            var storedMembers = MemberRegistry.Load(backend).Members;
            if (peers.Count > 0 || joining || storedMembers.Count > 1)
            {
                transport = new PeerTransport(new PeerTransportOptions
                {
                    MemberId = identity.MemberId,
                    ClusterId = identity.ClusterId,
                    SnapshotSource = new BackendSnapshotSource(backend, identity),
                    Logger = loggers.CreateLogger("rafthttp"),
                    TimeProvider = time ?? TimeProvider.System,
                    RemovedByPeer = () =>
                    {
                        loggers.CreateLogger("store").LogWarning("{Message}", MembershipErrors.RemovedMessage);
                        app.Lifetime.StopApplication();
                    },
                });
            }

            // Databases a leader sends to catch this member up land here before they are restored.
            var snapshots = SnapshotDirectory.InDataDirectory(dataDir);
            server = new StoreServer(backend, options, time ?? TimeProvider.System, loggers, transport, snapshots);
            var reconfiguration = new ClusterReconfiguration(server);
            var removed = server;
            server.RemovedFromCluster += () => removed.Time.CreateTimer(_ => app.Lifetime.StopApplication(), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
            if (transport is not null)
            {
                transport.Attach(server.Raft);
                var registry = server.Members;
                server.PeerActiveSince = transport.ActiveSince;
                server.LeaseForwarder = forwarder = new PeerLeaseForwarder(id => [.. registry.Find(id)?.PeerUrls.Select(u => new Uri(u)) ?? []]);
                SyncPeers(transport, registry, identity.MemberId);
                var syncing = transport;
                registry.Changed += () => SyncPeers(syncing, registry, identity.MemberId);
                IReadOnlyList<PeerMember> Members() =>
                    [.. registry.Members.Select(m => new PeerMember(m.Id, m.Name, m.PeerUrls, m.ClientUrls, m.IsLearner))];
                peerApp = await StartPeerListenerAsync(options, server, reconfiguration, new RaftPeerHandler(server.Raft, identity.ClusterId, snapshots, Members, registry.IsRemoved), cancellationToken).ConfigureAwait(false);
            }

            var grpcServices = new GrpcServiceRegistry();
            var services = new StoreServiceRegistry(grpcServices, server);
            new KvService(server).Register(services);
            new WatchService(server).Register(services);
            new LeaseService(server).Register(services);
            new MaintenanceService(server).Register(services);
            new ClusterService(server, reconfiguration).Register(services);
            app.UseStoreHttpEndpoints(server);
            app.UseGrpcServices(grpcServices, new GrpcServerOptions { MaxReceiveMessageSize = options.MaxReceiveMessageBytes, Observer = server.Metrics });
            var stopping = server;
            app.Lifetime.ApplicationStopping.Register(stopping.BeginShutdown);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                throw new StoreStartException(e.Message, e);
            }

            var bound = BoundUrls(clientListeners);
            var metrics = BoundUrls(metricsListeners);
            var logger = loggers.CreateLogger("store");
            logger.LogInformation(
                "store member {Name} ({MemberId:x}) of cluster {ClusterId:x} serving clients on {Urls}, data in {DataDir}, revision {Revision}",
                options.Name, server.Identity.MemberId, server.Identity.ClusterId, string.Join(",", bound), Path.GetFullPath(dataDir), server.Mvcc.Revision);
            if (metrics.Count > 0)
            {
                logger.LogInformation("serving /metrics and /health on {Urls}", string.Join(",", metrics));
            }

            return new StoreMember(app, peerApp, transport, forwarder, server, backend, bound, metrics);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (peerApp is not null)
            {
                await peerApp.DisposeAsync().ConfigureAwait(false);
            }

            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            if (transport is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }

            forwarder?.Dispose();
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
        if (_peerApp is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _peerApp.StopAsync(grace.Token).ConfigureAwait(false);
            await _peerApp.DisposeAsync().ConfigureAwait(false);
        }

        // The host before its transport (the transport reports to the host).
        await Server.DisposeAsync().ConfigureAwait(false);
        if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        _forwarder?.Dispose();
        _backend.Dispose();
    }

    /// <summary>
    /// The peer listener on --listen-peer-urls: HTTP/2 without TLS, serving only the Raft
    /// transport's endpoints (etcd's rafthttp and its /members), apart from the client API.
    /// </summary>
    private static async Task<WebApplication> StartPeerListenerAsync(StoreOptions options, StoreServer server, ClusterReconfiguration reconfiguration, IPeerHandler handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(HostOptions);
        builder.Logging.ClearProviders();
        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            foreach (var url in options.ListenPeerUrls)
            {
                Listen(kestrel, url, listeners, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        var app = builder.Build();
        app.MapPeerEndpoints(handler);
        app.MapLeaseEndpoints(server);
        app.MapMemberEndpoints(reconfiguration);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new StoreStartException(e.Message, e);
        }

        return app;
    }

    /// <summary>
    /// The transport's peers follow the registry (etcd's applyConfChange: AddPeer, RemovePeer,
    /// UpdatePeer). Runs on the Raft loop after each change, so it must not wait.
    /// </summary>
    private static void SyncPeers(PeerTransport transport, MemberRegistry registry, ulong self)
    {
        var members = registry.Members.Where(m => m.Id != self).ToDictionary(m => m.Id);
        foreach (var member in members.Values)
        {
            transport.AddPeer(member.Id, [.. member.PeerUrls.Select(u => new Uri(u))]);
        }

        foreach (var id in transport.PeerIds().Where(id => !members.ContainsKey(id)))
        {
            _ = transport.RemovePeerAsync(id);
        }
    }

    private static RocksDbBackend OpenBackend(string dataDir)
    {
        var database = Path.Combine(dataDir, DatabaseDirectoryName);
        try
        {
            Directory.CreateDirectory(dataDir);
            return RocksDbBackend.Open(database);
        }
        catch (RocksDbException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreStartException($"data directory {Path.GetFullPath(dataDir)} is in use by another process ({e.Message})", e);
        }
        catch (Exception e) when (e is RocksDbException or IOException or UnauthorizedAccessException)
        {
            throw new StoreStartException($"cannot open data directory {Path.GetFullPath(dataDir)}: {e.Message}", e);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, List<ListenOptions> listeners, Action<ListenOptions> configure)
    {
        void Configure(ListenOptions listen)
        {
            configure(listen);
            listeners.Add(listen);
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

    /// <summary>
    /// Where the listeners ended up: once started, Kestrel has put the port it bound for a port 0
    /// into each listener's endpoint. A wildcard address is reported as loopback, for clients.
    /// </summary>
    private static List<Uri> BoundUrls(List<ListenOptions> listeners) =>
        [.. listeners.Select(l => l.IPEndPoint!).DistinctBy(e => e.Port).Select(e =>
        {
            var host = e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : e.Address;
            return new UriBuilder(Uri.UriSchemeHttp, host.ToString(), e.Port).Uri;
        })];
}
