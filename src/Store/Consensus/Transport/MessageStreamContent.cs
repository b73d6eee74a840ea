using System.Buffers;
using System.Net;
using System.Threading.Channels;
using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// The body of a peer stream: messages taken from the peer's queue and written as frames for as
/// long as the stream lives, flushed whenever the queue runs dry so a heartbeat is not held back.
/// </summary>
internal sealed class MessageStreamContent(ChannelReader<Message> queue, Action<int> sent, CancellationToken stopping) : HttpContent
{
    private const int FlushThreshold = 64 * 1024;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold);
        while (await queue.WaitToReadAsync(linked.Token))
        {
            var count = 0;
            while (buffer.WrittenCount < FlushThreshold && queue.TryRead(out var message))
            {
                MessageFraming.Write(buffer, message);
                count++;
            }

            await stream.WriteAsync(buffer.WrittenMemory, linked.Token);
            await stream.FlushAsync(linked.Token);
            buffer.ResetWrittenCount();
            sent(count);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
