using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MiniKube.Grpc;

namespace MiniKube.Store.Server.Http;

/// <summary>
/// The plain HTTP endpoints etcd serves beside its gRPC API, on the client port and on
/// <c>--listen-metrics-urls</c>: <c>/health</c>, <c>/version</c> and <c>/metrics</c>, with etcd's
/// bodies and status codes, so that curl, probes and Prometheus scrapers written for etcd work.
/// </summary>
public static class StoreHttpEndpoints
{
    private const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>
    /// Answers the endpoints' paths when the request is not a gRPC call; every other HTTP/1
    /// request gets 404, as from etcd; gRPC calls go on down the pipeline.
    /// </summary>
    public static IApplicationBuilder UseStoreHttpEndpoints(this IApplicationBuilder app, StoreServer server)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(server);
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (GrpcRequest.IsGrpc(request))
            {
                return next(context);
            }

            Func<HttpContext, StoreServer, Task>? handler = request.Path.Value switch
            {
                "/health" => HealthAsync,
                "/version" => VersionAsync,
                "/metrics" => MetricsAsync,
                _ => null,
            };
            if (handler is null)
            {
                return HttpProtocol.IsHttp2(request.Protocol) ? next(context) : TextAsync(context, StatusCodes.Status404NotFound, "404 page not found\n");
            }

            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                context.Response.Headers.Allow = "GET";
                return TextAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed\n");
            }

            return handler(context, server);
        });
        return app;
    }

    /// <summary>etcd 3.4's /health: false (and 503) while an alarm is raised (NOSPACE here) or the member is stopping.</summary>
    private static Task HealthAsync(HttpContext context, StoreServer server)
    {
        var healthy = !server.NoSpaceAlarm && !server.ShutdownToken.IsCancellationRequested;
        return TextAsync(context, healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            healthy ? """{"health":"true"}""" : """{"health":"false"}""");
    }

    private static Task VersionAsync(HttpContext context, StoreServer server)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync($$"""{"etcdserver":"{{StoreServer.Version}}","etcdcluster":"{{StoreServer.ClusterVersion}}"}""", Encoding.UTF8);
    }

    private static Task MetricsAsync(HttpContext context, StoreServer server)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return server.Metrics.WriteAsync(context.Response.Body, context.RequestAborted);
    }

    private static Task TextAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = TextPlain;
        return context.Response.WriteAsync(body, Encoding.UTF8);
    }
}
