using MiniKube.Testing;

namespace MiniKube.Etcd.Client.Tests.Infrastructure;

/// <summary>One server for a test class, started before its first test and stopped after its last.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    /// <summary>Progress notifications every half second instead of every ten minutes, so tests can wait for one.</summary>
    private static readonly string[] Arguments = ["--experimental-watch-progress-notify-interval", "500ms"];

    private IEtcdServer? _server;

    public IEtcdServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Another server of the same kind, for the test to own (and kill).</summary>
    public Task<IEtcdServer> StartAnotherAsync() => StartAsync(Arguments);

    public async Task InitializeAsync() => _server = await StartAsync(Arguments);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected abstract Task<IEtcdServer> StartAsync(string[] arguments);
}
