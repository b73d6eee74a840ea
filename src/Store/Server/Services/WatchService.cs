using Etcdserverpb;
using MiniKube.Grpc;

namespace MiniKube.Store.Server.Services;

/// <summary>etcdserverpb.Watch: each call is a <see cref="WatchStream"/> multiplexing many watches.</summary>
public sealed class WatchService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.Watch";

    public void Register(StoreServiceRegistry registry) =>
        registry.AddDuplexStreaming<WatchRequest, WatchResponse>(ServiceName, "Watch", WatchRequest.Parser, WatchAsync);

    private async Task WatchAsync(IAsyncStreamReader<WatchRequest> requests, IServerStreamWriter<WatchResponse> responses, ServerCallContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, server.ShutdownToken);
        await using var stream = new WatchStream(server, responses, server.Options.MaxRequestBytes);
        try
        {
            await stream.RunAsync(requests, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (server.ShutdownToken.IsCancellationRequested)
        {
            throw EtcdErrors.Stopped;
        }
    }
}
