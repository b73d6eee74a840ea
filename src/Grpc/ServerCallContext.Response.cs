using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc;

// The response side of a call: messages through Response.BodyWriter, then the status as trailers,
// or as headers (a trailers-only reply) when nothing was sent before it.
public sealed partial class ServerCallContext
{
    private bool _messageWritten;
    private bool _responseCompleted;
    private Status _completedStatus;

    /// <summary>
    /// Serializes response writes against each other and against the deadline, which may end the
    /// response while the handler still runs. Null when neither can happen: a unary call without a
    /// deadline, where only the dispatcher writes, one step after the other.
    /// </summary>
    internal SemaphoreSlim? WriteLock { get; set; }

    /// <summary>Buffers one message in the response pipe without flushing. Caller holds <see cref="WriteLock"/> if there is one.</summary>
    private void WriteMessageLocked(IMessage message)
    {
        var size = message.CalculateSize();
        if (size > Options.MaxSendMessageSize)
        {
            throw new RpcException(MessageFraming.SendTooLarge(size, Options.MaxSendMessageSize));
        }

        var writer = HttpContext.Response.BodyWriter;
        var frameSize = GrpcProtocol.FrameHeaderSize + size;
        var span = writer.GetSpan(frameSize);
        MessageFraming.Write(message, size, span[..frameSize]);
        writer.Advance(frameSize);
        _messageWritten = true;
    }

    /// <summary>
    /// Buffers the single response of a unary call. No flush: Kestrel sends headers, message and
    /// trailers together once the middleware returns, which saves a write per call.
    /// </summary>
    internal ValueTask WriteUnaryResponseAsync(IMessage message)
    {
        if (WriteLock is null)
        {
            WriteMessageLocked(message);
            return ValueTask.CompletedTask;
        }

        return WriteUnaryResponseLockedAsync(message);
    }

    private async ValueTask WriteUnaryResponseLockedAsync(IMessage message)
    {
        await WriteLock!.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // A deadline that already answered the call wins; the late response is dropped.
            if (!_responseCompleted)
            {
                WriteMessageLocked(message);
            }
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>Writes and flushes one message of a streaming response.</summary>
    internal async Task WriteStreamMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken;
        await WriteLock!.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_responseCompleted)
            {
                throw new RpcException(_completedStatus.StatusCode == StatusCode.OK
                    ? new Status(StatusCode.Cancelled, "the call has already completed")
                    : _completedStatus);
            }

            WriteMessageLocked(message);
            var result = await HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                // Kestrel completed the pipe: the stream was reset or the connection is gone.
                throw new RpcException(StatusCode.Cancelled, GrpcProtocol.CancelledDetail);
            }
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>
    /// Sends the final status, once: later calls (a handler finishing after its deadline was answered)
    /// do nothing. With <paramref name="completeResponse"/> the HTTP/2 stream is ended at once rather
    /// than when the middleware returns, which the deadline needs because the handler may still run.
    /// </summary>
    internal ValueTask FinishAsync(Status status, bool completeResponse)
    {
        if (WriteLock is null && !completeResponse)
        {
            FinishLocked(status);
            return ValueTask.CompletedTask;
        }

        return FinishSlowAsync(status, completeResponse);
    }

    private async ValueTask FinishSlowAsync(Status status, bool completeResponse)
    {
        if (WriteLock is not null)
        {
            await WriteLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            if (FinishLocked(status) && completeResponse)
            {
                await HttpContext.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            WriteLock?.Release();
        }
    }

    private bool FinishLocked(Status status)
    {
        if (_responseCompleted)
        {
            return false;
        }

        _responseCompleted = true;
        _completedStatus = status;
        if (HttpContext.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        var response = HttpContext.Response;
        if (_messageWritten || response.HasStarted)
        {
            var trailers = HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
            if (trailers is not null)
            {
                SetStatus(trailers, status);
            }
        }
        else
        {
            SetStatus(response.Headers, status);
        }

        return true;
    }

    internal static void SetStatus(IHeaderDictionary headers, Status status)
    {
        headers.GrpcStatus = GrpcProtocol.StatusCodeString(status.StatusCode);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            headers.GrpcMessage = PercentEncoding.Encode(status.Detail);
        }
    }
}
