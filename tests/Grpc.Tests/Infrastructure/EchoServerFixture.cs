namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>One server with <see cref="TestService"/> and one channel to it, shared by a test class.</summary>
public sealed class EchoServerFixture : IAsyncLifetime
{
    private TestServer? _server;
    private GrpcChannel? _channel;

    internal TestService Service { get; } = new();

    internal TestServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartGrpcAsync(Service.Register);
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
