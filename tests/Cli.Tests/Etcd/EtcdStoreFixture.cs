using MiniKube.Testing;

namespace MiniKube.Cli.Tests.Etcd;

/// <summary>One store process for the <c>mkctl etcd</c> tests of a class; tests may kill and restart it.</summary>
public sealed class EtcdStoreFixture : IAsyncLifetime
{
    private MiniKubeStore? _store;

    public MiniKubeStore Store => _store ?? throw new InvalidOperationException("the store is not started");

    public async Task InitializeAsync() => _store = await MiniKubeStore.StartAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
