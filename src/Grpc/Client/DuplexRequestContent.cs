using System.Net;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Client;

/// <summary>
/// A request body that stays open for the life of a duplex call: HttpClient hands over its request
/// stream, the call's writer writes messages into it, and completing the content ends the stream.
/// </summary>
internal sealed class DuplexRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DuplexRequestContent() => Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);

    /// <summary>The HTTP/2 request stream, once HttpClient has sent the request headers.</summary>
    public Task<Stream> Stream => _stream.Task;

    /// <summary>Ends the request body (END_STREAM).</summary>
    public void Complete() => _completed.TrySetResult();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), _completed))
        {
            await _completed.Task.ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
