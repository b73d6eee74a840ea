using MiniKube.Etcd.Client.Streams;

namespace MiniKube.Etcd.Client;

/// <summary>
/// One watch. Enumerate it once: the enumeration yields its updates until it is disposed, and
/// throws <see cref="EtcdCompactedException"/>, <see cref="EtcdWatchCanceledException"/> or
/// <see cref="EtcdException"/> when the watch ends for those reasons. Ending the enumeration
/// (or disposing) cancels the watch on the server.
/// </summary>
public sealed class Watcher : IAsyncEnumerable<WatchUpdate>, IAsyncDisposable
{
    private readonly WatchStream _stream;
    private readonly WatchSubscription _subscription;

    internal Watcher(WatchStream stream, WatchSubscription subscription)
    {
        _stream = stream;
        _subscription = subscription;
    }

    /// <summary>Completes once the server confirmed the watch for the first time; faults if it refused it.</summary>
    public Task Created => _subscription.Created.Task;

    public async IAsyncEnumerator<WatchUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var update in _subscription.Updates.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stream.Remove(_subscription);
        return ValueTask.CompletedTask;
    }
}
