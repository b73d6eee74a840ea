using System.Buffers;
using Google.Protobuf;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Client;

/// <summary>
/// The request side of a duplex call. Each message is written to HttpClient's request stream and
/// flushed, so it leaves at once. Writes are serialized: several tasks may write.
/// </summary>
// CA1001: SemaphoreSlim holds nothing to dispose unless its wait handle is used, which it never is here.
#pragma warning disable CA1001
internal sealed class RequestStream<T>(StreamingCall call, DuplexRequestContent content) : IClientStreamWriter<T>
    where T : IMessage<T>
#pragma warning restore CA1001
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _completed;

    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = call.Cancellation.Token;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CallCancellation)state!).CancelByOperation(), call.Cancellation)
            : default;
        try
        {
            await _lock.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw new RpcException(call.Cancellation.CancelledStatus, ex);
        }

        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("The request stream has already been completed.");
            }

            if (call.FinalStatus is { } status)
            {
                throw new RpcException(status.StatusCode == StatusCode.OK ? new Status(StatusCode.Cancelled, "the call has already finished") : status);
            }

            var stream = await GetStreamAsync(token).ConfigureAwait(false);
            var size = message.CalculateSize();
            var frameSize = GrpcProtocol.FrameHeaderSize + size;
            var buffer = ArrayPool<byte>.Shared.Rent(frameSize);
            try
            {
                MessageFraming.Write(message, size, buffer.AsSpan(0, frameSize));
                await stream.WriteAsync(buffer.AsMemory(0, frameSize), token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception ex) when (ex is not RpcException and not InvalidOperationException)
        {
            throw new RpcException(ClientErrors.StatusFor(ex, call.Cancellation), ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task CompleteAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            _completed = true;
            content.Complete();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>HttpClient's request stream; if the call fails before providing one, that failure.</summary>
    private async Task<Stream> GetStreamAsync(CancellationToken token)
    {
        if (!content.Stream.IsCompleted)
        {
            await Task.WhenAny(content.Stream, call.Response).WaitAsync(token).ConfigureAwait(false);
            if (!content.Stream.IsCompleted)
            {
                // The response arrived (or failed) first; surface a failure now, else keep waiting.
                await call.Response.ConfigureAwait(false);
                await content.Stream.WaitAsync(token).ConfigureAwait(false);
            }
        }

        return await content.Stream.ConfigureAwait(false);
    }
}
