using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using MiniKube.Store.Server;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// The receiving side of the peer protocol, mapped on the <c>--listen-peer-urls</c> listener
/// (which must speak HTTP/2 without TLS: Kestrel's <c>HttpProtocols.Http2</c>):
/// <c>POST /raft/stream</c>, <c>POST /raft/snapshot</c>, <c>GET /members</c>, <c>GET /version</c>.
/// </summary>
public static class PeerEndpoints
{
    public static IEndpointRouteBuilder MapPeerEndpoints(this IEndpointRouteBuilder endpoints, IPeerHandler handler)
    {
        endpoints.MapPost(PeerHeaders.StreamPath, context => StreamAsync(context, handler));
        endpoints.MapPost(PeerHeaders.SnapshotPath, context => SnapshotAsync(context, handler));
        endpoints.MapGet(PeerHeaders.MembersPath, context =>
        {
            // etcd's peer /members names the cluster in a header: a joining member takes its ID from there.
            context.Response.Headers[PeerHeaders.ClusterId] = PeerHeaders.FormatId(handler.ClusterId);
            return context.Response.WriteAsJsonAsync(handler.Members(), context.RequestAborted);
        });
        endpoints.MapGet(PeerHeaders.VersionPath, context => context.Response.WriteAsJsonAsync(
            new Dictionary<string, string> { ["etcdserver"] = StoreServer.Version, ["etcdcluster"] = StoreServer.ClusterVersion },
            context.RequestAborted));
        return endpoints;
    }

    private static async Task StreamAsync(HttpContext context, IPeerHandler handler)
    {
        if (!await CheckClusterAsync(context, handler))
        {
            return;
        }

        Unlimit(context);
        // Headers now, so the sender knows the stream is up before the first message crosses.
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted); // StartAsync alone leaves the headers buffered
        var reader = context.Request.BodyReader;
        try
        {
            // All the frames a read brings are stepped together: the member persists them in one
            // round (one fsync) rather than one round each while the rest wait unread.
            while (await MessageFraming.ReadBatchAsync(reader, context.RequestAborted) is { } messages)
            {
                handler.Step(messages);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The sender went away; it re-dials.
        }
    }

    private static async Task SnapshotAsync(HttpContext context, IPeerHandler handler)
    {
        if (!await CheckClusterAsync(context, handler))
        {
            return;
        }

        Unlimit(context);
        var reader = context.Request.BodyReader;
        var message = await MessageFraming.ReadAsync(reader, context.RequestAborted);
        if (message is not { Type: Raft.Pb.MessageType.MsgSnap })
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("raft snapshot: the request does not start with a MsgSnap", context.RequestAborted);
            return;
        }

        try
        {
            await handler.ReceiveSnapshotAsync(message, reader.AsStream(), context.RequestAborted);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"raft snapshot: {e.Message}", context.RequestAborted);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task<bool> CheckClusterAsync(HttpContext context, IPeerHandler handler)
    {
        var header = context.Request.Headers[PeerHeaders.ClusterId].ToString();
        if (PeerHeaders.TryParseId(context.Request.Headers[PeerHeaders.From].ToString(), out var from) && handler.IsRemoved(from))
        {
            // etcd's rafthttp: a removed member is told so, and stops.
            context.Response.StatusCode = StatusCodes.Status410Gone;
            await context.Response.WriteAsync(PeerHeaders.RemovedMember, context.RequestAborted);
            return false;
        }

        if (PeerHeaders.TryParseId(header, out var clusterId) && clusterId == handler.ClusterId)
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        context.Response.Headers[PeerHeaders.ClusterId] = PeerHeaders.FormatId(handler.ClusterId);
        await context.Response.WriteAsync(PeerHeaders.ClusterIdMismatch, context.RequestAborted);
        return false;
    }

    /// <summary>A stream lives as long as the member and may carry only heartbeats: no size cap, no minimum rate.</summary>
    private static void Unlimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }
}
