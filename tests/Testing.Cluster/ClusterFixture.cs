using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.ApiServer;
using MiniKube.Client;
using MiniKube.Client.Config;
using MiniKube.Etcd.Client;

namespace MiniKube.Testing.Cluster;

/// <summary>A store process and an in-process apiserver on a fixed free port (so it can be restarted where clients
/// expect it), shared by the tests of a class; each test works in a namespace of its own.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private MiniKubeStore? _store;
    private ApiServerHost? _apiServer;
    private EtcdClient? _etcd;

    public int Port { get; } = FreePort.Pick();

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public MiniKubeStore Store => _store ?? throw new InvalidOperationException("not started");

    public EtcdClient Etcd => _etcd ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _store = await MiniKubeStore.StartAsync();
        _etcd = new EtcdClient(new EtcdClientOptions { Endpoints = [_store.ClientUrl], DefaultRequestTimeout = TimeSpan.FromSeconds(10) });
        await StartApiServerAsync();
    }

    public async Task StartApiServerAsync() =>
        _apiServer = await ApiServerHost.StartAsync(new ApiServerOptions
        {
            EtcdServers = [Store.ClientUrl],
            InsecurePort = Port,
            BookmarkInterval = TimeSpan.FromSeconds(1),
        });

    public async Task StopApiServerAsync()
    {
        if (_apiServer is not null)
        {
            await _apiServer.DisposeAsync();
            _apiServer = null;
        }
    }

    public KubeClient NewClient(string? @namespace = null) => new(new ClientConfig
    {
        Server = Url,
        Namespace = @namespace ?? "default",
        RequestTimeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)];
        using var client = NewClient();
        await client.CreateAsync(ApiResources.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }

    /// <summary>A kubeconfig file for this apiserver, for mkctl and the real kubectl.</summary>
    public string WriteKubeconfig(string? @namespace = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, Kubeconfig.ForServer(Url, @namespace: @namespace).ToJson());
        return path;
    }

    public async Task DisposeAsync()
    {
        await StopApiServerAsync();
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
