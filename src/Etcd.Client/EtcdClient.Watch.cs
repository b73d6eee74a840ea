using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>The Watch API: every watch of this client is multiplexed on one Watch stream.</summary>
public sealed partial class EtcdClient
{
    /// <summary>
    /// Starts watching now (the watch is registered before this returns) and returns it; enumerate
    /// it once to receive its updates, and dispose it (or stop enumerating) to cancel it.
    /// </summary>
    /// <remarks>
    /// When the stream breaks or its endpoint goes away, the watch is created again on a new
    /// stream from the revision after the last one delivered, so every event is delivered
    /// exactly once and in order. If that revision has been compacted meanwhile, or the watch
    /// starts before the compaction, the enumeration throws <see cref="EtcdCompactedException"/>.
    /// </remarks>
    public Watcher Watch(ByteString key, WatchOptions? options = null)
        => new(_watches, _watches.Add(Requests.Watch(key, options)));

    public Watcher Watch(string key, WatchOptions? options = null) => Watch(ByteString.CopyFromUtf8(key), options);

    /// <summary>
    /// Asks the server for a progress notification on this client's watch stream: every watch
    /// then receives an update with no events whose header revision is the store's current one.
    /// Does nothing while no watch is open.
    /// </summary>
    public Task RequestProgressAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _watches.RequestProgress();
        return Task.CompletedTask;
    }
}
