using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// The body of a snapshot POST: the MsgSnap as one frame, then the leader's database as the source
/// writes it, through a pipe so it is streamed rather than held whole in memory.
/// </summary>
internal sealed class SnapshotContent(Message message, ISnapshotSource source) : HttpContent
{
    /// <summary>Database bytes written, for logs and tests.</summary>
    public long DatabaseBytes { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var header = new ArrayBufferWriter<byte>();
        MessageFraming.Write(header, message);
        await stream.WriteAsync(header.WrittenMemory, cancellationToken);

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        // The source writes synchronously (a view of the backend walked in order), so it gets its
        // own thread; the pipe's back pressure paces it to the network.
        var producer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    source.WriteSnapshot(pipe.Writer.AsStream(leaveOpen: true));
                    pipe.Writer.Complete();
                }
                catch (Exception e)
                {
                    // The reader fails with it: a database cut short must not pass for a whole one.
                    pipe.Writer.Complete(e);
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            while (true)
            {
                var result = await pipe.Reader.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
                {
                    await stream.WriteAsync(segment, cancellationToken);
                    DatabaseBytes += segment.Length;
                }

                pipe.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
            await producer;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
