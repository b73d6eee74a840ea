using System.Buffers;
using System.IO.Pipelines;
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

    [Fact]
    public async Task A_batch_read_returns_every_whole_frame_buffered_and_keeps_a_partial_one_for_the_next()
    {
        var pipe = new Pipe();
        var messages = Enumerable.Range(1, 4).Select(i => new Message { Type = MessageType.MsgApp, Term = (ulong)i, Entries = { new Entry { Index = (ulong)i, Data = ByteString.CopyFrom(new byte[100]) } } }).ToList();
        var frames = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            MessageFraming.Write(frames, message);
        }

        var bytes = frames.WrittenMemory;
        var frameSize = bytes.Length / 4;
        // Three whole frames and half of the fourth arrive together.
        await pipe.Writer.WriteAsync(bytes[..(3 * frameSize + frameSize / 2)]);

        var first = await MessageFraming.ReadBatchAsync(pipe.Reader, CancellationToken.None);
        Assert.Equal(messages.Take(3), first);

        var pending = MessageFraming.ReadBatchAsync(pipe.Reader, CancellationToken.None);
        Assert.False(pending.IsCompleted, "a partial frame alone is not a batch");
        await pipe.Writer.WriteAsync(bytes[(3 * frameSize + frameSize / 2)..]);
        Assert.Equal(messages.Skip(3), await pending);

        await pipe.Writer.CompleteAsync();
        Assert.Null(await MessageFraming.ReadBatchAsync(pipe.Reader, CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_read_of_a_stream_that_ends_inside_a_frame_fails()
    {
        var pipe = new Pipe();
        var frame = new ArrayBufferWriter<byte>();
        MessageFraming.Write(frame, new Message { Type = MessageType.MsgHeartbeat, Term = 3 });
        await pipe.Writer.WriteAsync(frame.WrittenMemory[..^1]);
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await MessageFraming.ReadBatchAsync(pipe.Reader, CancellationToken.None));
        Assert.Contains("ended inside a message", error.Message);
    }
}
