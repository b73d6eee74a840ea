using System.Buffers;
using Google.Protobuf;
using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus.Transport;

namespace MiniKube.Store.Tests.Consensus.Transport;

public sealed class MessageFramingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Frames_split_at_any_point_read_back_as_the_messages_written(int chunk)
    {
        var seed = 20261202 + chunk;
        var random = new Random(seed);
        var messages = Enumerable.Range(0, 50).Select(i => new Message
        {
            Type = (MessageType)(i % 19),
            To = (ulong)random.NextInt64(),
            Term = (ulong)i,
            Entries = { Enumerable.Range(0, random.Next(3)).Select(_ => new Entry { Index = (ulong)i, Data = ByteString.CopyFrom(new byte[random.Next(300)]) }) },
        }).ToList();
        var written = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            MessageFraming.Write(written, message);
        }

        // Feed the bytes in chunks, as a network would, keeping unread bytes between reads.
        var read = new List<Message>();
        var pending = Array.Empty<byte>();
        var bytes = written.WrittenSpan.ToArray();
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            pending = [.. pending, .. bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset))];
            var sequence = new ReadOnlySequence<byte>(pending);
            while (MessageFraming.TryRead(ref sequence, out var message))
            {
                read.Add(message!);
            }

            pending = sequence.ToArray();
        }

        Assert.True(messages.SequenceEqual(read), $"seed {seed}");
        Assert.Empty(pending);
    }
}
