using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MiniKube.Grpc;
using MiniKube.Store.Server.Membership;

namespace MiniKube.Store.Server.Http;

/// <summary>
/// etcd 3.4's peer handler for a promotion a follower was asked for: <c>POST /members/promote/&lt;hex id&gt;</c>
/// on the leader's peer listener. 200 once applied; a refusal answers 412 with etcd's message and
/// its gRPC status code in a header, which the follower hands its client unchanged.
/// </summary>
public static class MemberHttpEndpoints
{
    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder endpoints, ClusterReconfiguration reconfiguration)
    {
        endpoints.MapPost(ClusterReconfiguration.PromotePath + "{id}", async context =>
        {
            var text = context.Request.RouteValues["id"] as string;
            if (!ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync($"invalid member ID {text}", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            try
            {
                await reconfiguration.PromoteAsync(id, context.RequestAborted).ConfigureAwait(false);
                context.Response.StatusCode = StatusCodes.Status200OK;
            }
            catch (RpcException e)
            {
                context.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
                context.Response.Headers[ClusterReconfiguration.StatusHeader] = ((int)e.Status.StatusCode).ToString(CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(e.Status.Detail, context.RequestAborted).ConfigureAwait(false);
            }
        });
        return endpoints;
    }
}
