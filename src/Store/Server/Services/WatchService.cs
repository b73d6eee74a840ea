using Etcdserverpb;
using MiniKube.Grpc;

namespace MiniKube.Store.Server.Services;

/// <summary>etcdserverpb.Watch: each call is a <see cref="WatchStream"/> multiplexing many watches.</summary>
public sealed class WatchService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.Watch";

    public void Register(GrpcServiceRegistry registry) =>
        registry.AddDuplexStreaming<WatchRequest, WatchResponse>(ServiceName, "Watch", WatchRequest.Parser, WatchAsync);

    private async Task WatchAsync(IAsyncStreamReader<WatchRequest> requests, IServerStreamWriter<WatchResponse> responses, ServerCallContext context)
    {
        await using var stream = new WatchStream(server, responses, server.Options.MaxRequestBytes);
        await stream.RunAsync(requests, context.CancellationToken).ConfigureAwait(false);
    }
}
