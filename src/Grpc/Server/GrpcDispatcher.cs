using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Server;

/// <summary>
/// The terminal middleware: validates the request as gRPC, finds the method by exact path and runs
/// it, turning every outcome into a status. Nothing a call does may escape as an exception, so one
/// bad call never disturbs the others on its connection.
/// </summary>
internal sealed partial class GrpcDispatcher(
    FrozenDictionary<string, ServerMethod> methods,
    FrozenSet<string> services,
    GrpcServerOptions options,
    ILogger logger)
{
    private static readonly Status s_deadlineExceeded = new(StatusCode.DeadlineExceeded, GrpcProtocol.DeadlineExceededDetail);
    private static readonly Status s_cancelled = new(StatusCode.Cancelled, GrpcProtocol.CancelledDetail);

    public Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            return RejectAsync(context, StatusCodes.Status426UpgradeRequired, new Status(StatusCode.Internal, "gRPC requires HTTP/2"));
        }

        // grpc-go's early aborts: the HTTP status tells plain HTTP clients, grpc-status tells gRPC ones.
        if (!HttpMethods.IsPost(request.Method))
        {
            return RejectAsync(context, StatusCodes.Status405MethodNotAllowed,
                new Status(StatusCode.Internal, $"Received a HEADERS frame with :method \"{request.Method}\" which should be POST"));
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            return RejectAsync(context, StatusCodes.Status415UnsupportedMediaType,
                new Status(StatusCode.InvalidArgument, $"invalid gRPC request content-type \"{request.ContentType}\""));
        }

        var path = request.Path.Value ?? "";
        if (!methods.TryGetValue(path, out var method))
        {
            return RejectAsync(context, StatusCodes.Status200OK, UnknownMethod(path));
        }

        return HandleCallAsync(context, method, path);
    }

    private async Task HandleCallAsync(HttpContext context, ServerMethod method, string path)
    {
        var observer = options.Observer;
        var (service, name) = observer is null ? default : SplitPath(path);
        observer?.CallStarted(service, name, method.Type);
        var code = StatusCode.Internal;
        context.Response.Headers.ContentType = GrpcProtocol.ContentType;
        DisableRequestBodyLimits(context.Features);

        var call = new ServerCallContext(context, path, options);
        CancellationTokenSource? deadline = null;
        try
        {
            var timeoutHeader = context.Request.Headers.GrpcTimeout;
            if (timeoutHeader.Count > 0)
            {
                if (!GrpcTimeout.TryParse(timeoutHeader.ToString(), out var timeout))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await call.FinishAsync(new Status(StatusCode.Internal, $"malformed grpc-timeout: {timeoutHeader}"), completeResponse: false).ConfigureAwait(false);
                    return;
                }

                var now = DateTime.UtcNow;
                call.Deadline = timeout < DateTime.MaxValue - now ? now + timeout : DateTime.MaxValue;
                deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                if (timeout <= GrpcTimeout.MaxTimerDelay)
                {
                    deadline.CancelAfter(timeout);
                }

                call.CancellationToken = deadline.Token;
            }

            if (deadline is not null || method.IsStreaming)
            {
                call.WriteLock = new SemaphoreSlim(1, 1);
            }

            var status = deadline is null
                ? await RunAsync(method, call).ConfigureAwait(false)
                : await RunWithDeadlineAsync(method, call, deadline).ConfigureAwait(false);
            code = status.StatusCode;
            await call.FinishAsync(status, completeResponse: false).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Only writing the status can get here (the handler's own failures are statuses by now),
            // and that fails only when the stream is already gone.
            LogFinishFailed(logger, ex, path);
        }
        finally
        {
            deadline?.Dispose();
            observer?.CallFinished(service, name, method.Type, code);
        }
    }

    /// <summary>"/package.Service/Method" → ("package.Service", "Method"); registered paths always have this shape.</summary>
    private static (string Service, string Method) SplitPath(string path)
    {
        var slash = path.LastIndexOf('/');
        return (path[1..slash], path[(slash + 1)..]);
    }

    private async Task<Status> RunAsync(ServerMethod method, ServerCallContext call)
    {
        try
        {
            await method.InvokeAsync(call).ConfigureAwait(false);
            return Status.DefaultSuccess;
        }
        catch (Exception ex)
        {
            return StatusFromException(ex, call);
        }
    }

    /// <summary>
    /// Answers DEADLINE_EXCEEDED when the deadline passes, even if the handler ignores its token; the
    /// middleware still waits for the handler, which may be using the HttpContext.
    /// </summary>
    private async Task<Status> RunWithDeadlineAsync(ServerMethod method, ServerCallContext call, CancellationTokenSource deadline)
    {
        var run = RunAsync(method, call);
        if (!run.IsCompleted)
        {
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (deadline.Token.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), fired))
            {
                if (await Task.WhenAny(run, fired.Task).ConfigureAwait(false) != run
                    && !call.HttpContext.RequestAborted.IsCancellationRequested)
                {
                    await call.FinishAsync(s_deadlineExceeded, completeResponse: true).ConfigureAwait(false);
                }
            }
        }

        return await run.ConfigureAwait(false);
    }

    private Status StatusFromException(Exception exception, ServerCallContext call)
    {
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }

        // Whatever a handler throws once its client is gone is a consequence, not news.
        if (call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return s_cancelled;
        }

        if (exception is OperationCanceledException && call.CancellationToken.IsCancellationRequested)
        {
            return s_deadlineExceeded;
        }

        LogHandlerFailed(logger, exception, call.Method);
        return new Status(StatusCode.Unknown, exception.Message);
    }

    private Status UnknownMethod(string path)
    {
        // grpc-go's wording, so etcd tooling reports the same thing as against a real etcd.
        var name = path.StartsWith('/') ? path[1..] : path;
        var slash = name.LastIndexOf('/');
        if (slash < 0)
        {
            return new Status(StatusCode.Unimplemented, $"malformed method name: \"{path}\"");
        }

        var service = name[..slash];
        return services.Contains(service)
            ? new Status(StatusCode.Unimplemented, $"unknown method {name[(slash + 1)..]} for service {service}")
            : new Status(StatusCode.Unimplemented, $"unknown service {service}");
    }

    /// <summary>A reply before any handler runs: always trailers-only, with the given HTTP status.</summary>
    private static Task RejectAsync(HttpContext context, int httpStatus, Status status)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.Headers.ContentType = GrpcProtocol.ContentType;
        ServerCallContext.SetStatus(response.Headers, status);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Long-lived streams (etcd watch, lease keep-alive) sit idle for minutes and may carry any
    /// amount in total; Kestrel's per-request minimum data rate and body size limits would kill them.
    /// </summary>
    private static void DisableRequestBodyLimits(IFeatureCollection features)
    {
        if (features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }

        if (features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxSize)
        {
            maxSize.MaxRequestBodySize = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC handler for {Method} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not send the status of {Method}")]
    private static partial void LogFinishFailed(ILogger logger, Exception exception, string method);
}
