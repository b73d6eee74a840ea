using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Grpc.Server;

namespace MiniKube.Grpc;

public static class GrpcApplicationBuilderExtensions
{
    /// <summary>
    /// Ends the pipeline with the gRPC dispatcher: every request that reaches it is answered as a
    /// gRPC call, unknown paths with UNIMPLEMENTED. No routing is involved: one dictionary lookup.
    /// </summary>
    public static IApplicationBuilder UseGrpcServices(this IApplicationBuilder app, GrpcServiceRegistry registry, GrpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(registry);

        // Copied, so that later changes to the caller's options cannot race with running calls.
        var snapshot = new GrpcServerOptions
        {
            MaxReceiveMessageSize = options?.MaxReceiveMessageSize ?? new GrpcServerOptions().MaxReceiveMessageSize,
            MaxSendMessageSize = options?.MaxSendMessageSize ?? new GrpcServerOptions().MaxSendMessageSize,
            Observer = options?.Observer,
        };
        var logger = app.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger("MiniKube.Grpc.Server") ?? NullLogger.Instance;
        var (methods, services) = registry.Freeze();
        var dispatcher = new GrpcDispatcher(methods, services, snapshot, logger);
        app.Run(dispatcher.DispatchAsync);
        return app;
    }
}
