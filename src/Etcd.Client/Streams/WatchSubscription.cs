using System.Threading.Channels;
using Etcdserverpb;

namespace MiniKube.Etcd.Client.Streams;

/// <summary>
/// The client's side of one watch: what to ask the server for, the first revision not yet
/// delivered, and the updates waiting for the consumer. Mutable state is guarded by the owning
/// <see cref="WatchStream"/>'s lock.
/// </summary>
internal sealed class WatchSubscription(long id, WatchCreateRequest create)
{
    /// <summary>The watch ID asked of the server: the same on every stream it is created on.</summary>
    public long Id { get; } = id;

    /// <summary>Key, range and options; the start revision is filled in per stream.</summary>
    public WatchCreateRequest Create { get; } = create;

    /// <summary>
    /// The first revision this watch has not delivered: a re-created watch starts there, and
    /// events before it are dropped as already delivered. 0 while "from now" is unresolved.
    /// </summary>
    public long NextRevision { get; set; } = create.StartRevision;

    /// <summary>The stream this watch was last created on.</summary>
    public object? Stream { get; set; }

    /// <summary>Events of a revision split into fragments, until its last fragment arrives.</summary>
    public List<Mvccpb.Event>? Fragments { get; set; }

    // Unbounded, as clientv3's per-watch buffer: a slow consumer must not stall the other watches on the stream.
    public Channel<WatchUpdate> Updates { get; } = Channel.CreateUnbounded<WatchUpdate>(new UnboundedChannelOptions { SingleReader = true });

    public TaskCompletionSource Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Deliver(WatchUpdate update) => Updates.Writer.TryWrite(update);

    public void Fail(Exception error)
    {
        if (Created.TrySetException(error))
        {
            _ = Created.Task.Exception; // observed: the enumeration reports it
        }

        Updates.Writer.TryComplete(error);
    }

    public void Close()
    {
        Created.TrySetCanceled();
        Updates.Writer.TryComplete();
    }
}
