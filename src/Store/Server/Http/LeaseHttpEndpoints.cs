using Etcdserverpb;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MiniKube.Store.Server.Http;

/// <summary>
/// etcd's leasehttp handlers, on the peer listener: the leader renews a lease or reports its TTL
/// for a follower that a client asked. 404 for an unknown lease, 500 "not primary" when this member
/// is not the leader (the follower retries with the leader it learns next).
/// </summary>
public static class LeaseHttpEndpoints
{
    public const string KeepAlivePath = "/leases";
    public const string TimeToLivePath = "/leases/internal";
    public const string ContentType = "application/protobuf";

    public static IEndpointRouteBuilder MapLeaseEndpoints(this IEndpointRouteBuilder endpoints, StoreServer server)
    {
        endpoints.MapPost(KeepAlivePath, context => HandleAsync(context, server, LeaseKeepAliveRequest.Parser, KeepAliveAsync));
        endpoints.MapPost(TimeToLivePath, context => HandleAsync(context, server, LeaseTimeToLiveRequest.Parser, TimeToLiveAsync));
        return endpoints;
    }

    private static async Task<IMessage> KeepAliveAsync(StoreServer server, LeaseKeepAliveRequest request, CancellationToken cancellationToken) =>
        new LeaseKeepAliveResponse { ID = request.ID, Header = server.Header(server.Mvcc.Revision), TTL = await server.Lessor.RenewAsync(request.ID, cancellationToken).ConfigureAwait(false) };

    private static Task<IMessage> TimeToLiveAsync(StoreServer server, LeaseTimeToLiveRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<IMessage>(server.LocalTimeToLive(request) ?? throw new Lease.LeaseException(Lease.LeaseError.NotFound));

    private static async Task HandleAsync<TRequest>(HttpContext context, StoreServer server, MessageParser<TRequest> parser, Func<StoreServer, TRequest, CancellationToken, Task<IMessage>> handle)
        where TRequest : IMessage<TRequest>
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = parser.ParseFrom(body.ToArray());
        if (!server.Raft.IsLeader)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("not primary", context.RequestAborted);
            return;
        }

        IMessage response;
        try
        {
            response = await handle(server, request, context.RequestAborted);
        }
        catch (Lease.LeaseException e) when (e.Error == Lease.LeaseError.NotFound)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("lease not found", context.RequestAborted);
            return;
        }

        context.Response.ContentType = ContentType;
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted);
    }
}
