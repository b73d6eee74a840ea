using System.Buffers;
using System.Net;
using Google.Protobuf;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Client;

/// <summary>A request body of exactly one message, serialized when HttpClient sends it, into a pooled buffer.</summary>
internal sealed class UnaryRequestContent : HttpContent
{
    private readonly IMessage _message;
    private readonly int _size;

    public UnaryRequestContent(IMessage message)
    {
        _message = message;
        _size = message.CalculateSize();
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var frameSize = GrpcProtocol.FrameHeaderSize + _size;
        var buffer = ArrayPool<byte>.Shared.Rent(frameSize);
        try
        {
            MessageFraming.Write(_message, _size, buffer.AsSpan(0, frameSize));
            await stream.WriteAsync(buffer.AsMemory(0, frameSize), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = GrpcProtocol.FrameHeaderSize + _size;
        return true;
    }
}
