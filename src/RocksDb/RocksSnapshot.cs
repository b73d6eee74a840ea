namespace MiniKube.RocksDb;

/// <summary>
/// A consistent, read-only view of a database as of the moment it was taken, for
/// <see cref="RocksDatabase.Get"/> and <see cref="RocksDatabase.NewIterator"/>.
/// </summary>
/// <remarks>
/// An open snapshot keeps RocksDB from discarding the versions it can see, so release it promptly by
/// disposing it; disposing the database also releases it. Reads through one snapshot may run on several threads
/// at once. Disposing it while an iterator still reads from it is safe: the iterator keeps the native snapshot
/// alive until it is disposed itself.
/// </remarks>
public sealed class RocksSnapshot : IDisposable
{
    // Not SafeHandle.IsClosed: a handle with references still out (an iterator reading from this snapshot)
    // only closes when the last one goes.
    private int _disposed;

    internal RocksSnapshot(RocksDatabase owner, SafeSnapshotHandle handle, SafeReadOptionsHandle readOptions)
    {
        Owner = owner;
        Handle = handle;
        ReadOptions = readOptions;
    }

    internal RocksDatabase Owner { get; }

    internal SafeSnapshotHandle Handle { get; }

    /// <summary>Read options set to this snapshot, shared by all point reads through it.</summary>
    internal SafeReadOptionsHandle ReadOptions { get; }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Owner.Untrack(this);
        // The read options hold a reference on the snapshot, so this order only saves a deferred release.
        ReadOptions.Dispose();
        Handle.Dispose();
    }
}
