using MiniKube.Grpc;
using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Infrastructure;

/// <summary>
/// One server speaking etcd's v3 API for a whole test class (an xunit class fixture), with a
/// channel to it. Tests sharing it keep to their own key prefixes.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    /// <summary>Short, so that progress notifications can be waited for; both servers take the same flag.</summary>
    public static readonly string[] ProgressFlags = ["--experimental-watch-progress-notify-interval", "500ms"];

    private IEtcdServer? _server;
    private GrpcChannel? _channel;

    public IEtcdServer Server => _server ?? throw new InvalidOperationException("not started");

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("not started");

    public EtcdApi Api => new(Channel);

    public string Kind => Server.Kind;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        _channel = GrpcChannel.ForAddress(_server.ClientUrl);
        await Api.WaitUntilServingAsync();
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected abstract Task<IEtcdServer> StartServerAsync();
}

/// <summary>MiniKube's store as a child process.</summary>
public sealed class MiniKubeFixture : ServerFixture
{
    protected override async Task<IEtcdServer> StartServerAsync() => await MiniKubeStore.StartAsync(ProgressFlags);
}

/// <summary>A real etcd 3.4: the reference the contract suite holds the store to.</summary>
public sealed class EtcdFixture : ServerFixture
{
    protected override async Task<IEtcdServer> StartServerAsync() => await RealEtcd.StartAsync(ProgressFlags);
}
