using Etcdserverpb;

namespace MiniKube.Store.Watch;

/// <summary>Where a watcher's responses go: one gRPC watch stream, shared by its watchers.</summary>
public interface IWatchSink
{
    /// <summary>
    /// Queues a response without waiting; false when the stream is full. Called under the hub's
    /// lock, in revision order, so it must never block.
    /// </summary>
    bool TrySend(WatchResponse response);
}
