using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// How messages travel on a peer stream: BE32(length) then the serialized <see cref="Message"/>,
/// repeated until the request ends (etcd's msgappv2 is a denser cousin of the same idea).
/// </summary>
public static class MessageFraming
{
    public const int HeaderSize = 4;

    /// <summary>Refuses frames beyond this, so a corrupt length cannot make the receiver allocate without bound.</summary>
    public const int MaxMessageSize = 512 * 1024 * 1024;

    public static void Write(IBufferWriter<byte> output, Message message)
    {
        var size = message.CalculateSize();
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(HeaderSize), size);
        output.Advance(HeaderSize);
        if (size > 0)
        {
            var span = output.GetSpan(size)[..size];
            message.WriteTo(span);
            output.Advance(size);
        }
    }

    /// <summary>Takes one whole frame off the front of <paramref name="buffer"/>, if there is one.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out Message? message)
    {
        message = null;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var size = BinaryPrimitives.ReadInt32BigEndian(header);
        if (size is < 0 or > MaxMessageSize)
        {
            throw new InvalidDataException($"raft message frame of {size} bytes");
        }

        if (buffer.Length < HeaderSize + size)
        {
            return false;
        }

        message = Message.Parser.ParseFrom(buffer.Slice(HeaderSize, size));
        buffer = buffer.Slice(HeaderSize + size);
        return true;
    }

    /// <summary>
    /// Reads the whole frames <paramref name="reader"/> has (at least one, waiting for it if need
    /// be); null when the stream ends cleanly between frames.
    /// </summary>
    public static ValueTask<List<Message>?> ReadBatchAsync(PipeReader reader, CancellationToken cancellationToken) =>
        ReadFramesAsync(reader, int.MaxValue, cancellationToken);

    /// <summary>Reads one frame from <paramref name="reader"/>, leaving what follows it; null when the stream ends cleanly between frames.</summary>
    public static async ValueTask<Message?> ReadAsync(PipeReader reader, CancellationToken cancellationToken) =>
        (await ReadFramesAsync(reader, 1, cancellationToken))?[0];

    /// <summary>Reads between one and <paramref name="maxFrames"/> whole frames, waiting for the first; null at a clean end.</summary>
    private static async ValueTask<List<Message>?> ReadFramesAsync(PipeReader reader, int maxFrames, CancellationToken cancellationToken)
    {
        List<Message>? messages = null;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while ((messages?.Count ?? 0) < maxFrames && TryRead(ref buffer, out var message))
            {
                (messages ??= []).Add(message!);
            }

            if (messages is not null)
            {
                reader.AdvanceTo(buffer.Start, messages.Count < maxFrames ? buffer.End : buffer.Start);
                return messages;
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return buffer.IsEmpty ? null : throw new InvalidDataException("raft stream ended inside a message");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
