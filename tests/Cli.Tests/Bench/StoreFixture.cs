using MiniKube.Testing;

namespace MiniKube.Cli.Tests.Bench;

/// <summary>One MiniKube store process shared by the benchmark tests of a class.</summary>
public sealed class StoreFixture : IAsyncLifetime
{
    private MiniKubeStore? _store;

    public Uri ClientUrl => _store?.ClientUrl ?? throw new InvalidOperationException("the store is not started");

    public async Task InitializeAsync() => _store = await MiniKubeStore.StartAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
