using MiniKube.ApiServer.Storage;
using MiniKube.Etcd.Client;
using MiniKube.Testing;

namespace MiniKube.ApiServer.Tests.Storage;

/// <summary>One store server per test class and the storage under test on it.</summary>
public abstract class StorageFixture : IAsyncLifetime
{
    private IEtcdServer? _server;
    private EtcdClient? _client;

    public IEtcdServer Server => _server ?? throw new InvalidOperationException("not started");

    public EtcdClient Client => _client ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(["--experimental-watch-progress-notify-interval", "500ms"]);
        _client = new EtcdClient(new EtcdClientOptions { Endpoints = [_server.ClientUrl], DefaultRequestTimeout = TimeSpan.FromSeconds(10) });
    }

    /// <summary>A storage under a prefix of its own, so tests never see each other's keys.</summary>
    public abstract IObjectStorage NewStorage(string prefix);

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected abstract Task<IEtcdServer> StartServerAsync(string[] arguments);
}

public sealed class MiniKubeStoreStorageFixture : StorageFixture
{
    public override IObjectStorage NewStorage(string prefix) => new Etcd3Storage(Client, prefix);

    protected override async Task<IEtcdServer> StartServerAsync(string[] arguments) => await MiniKubeStore.StartAsync(arguments);
}

public sealed class RealEtcdStorageFixture : StorageFixture
{
    public override IObjectStorage NewStorage(string prefix) => new Etcd3Storage(Client, prefix);

    protected override async Task<IEtcdServer> StartServerAsync(string[] arguments) => await RealEtcd.StartAsync(arguments);
}
