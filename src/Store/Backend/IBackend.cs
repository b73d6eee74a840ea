namespace MiniKube.Store.Backend;

/// <summary>
/// The one seam between the store and its storage engine: ordered byte-keyed tables with atomic
/// batches, iterators and point-in-time views. RocksDB in production, memory in tests; the same
/// contract suite runs against both.
/// </summary>
/// <remarks>
/// Durability is split from visibility on purpose: <see cref="Write"/> applies a batch atomically
/// but does not wait for the disk, and <see cref="Sync"/> makes every earlier write durable. The
/// store's writer applies a group of transactions with <see cref="Write"/> and acknowledges them
/// after one <see cref="Sync"/> (group commit). Readers never see a transaction before its
/// revision is published, which happens only after the sync.
/// All members are safe to call from several threads.
/// </remarks>
public interface IBackend : IBackendReader, IDisposable
{
    /// <summary>A consistent point-in-time view for reads that need several iterators to agree.</summary>
    IBackendView OpenView();

    IBackendBatch CreateBatch();

    /// <summary>Applies <paramref name="batch"/> atomically; durable only after <see cref="Sync"/>.</summary>
    void Write(IBackendBatch batch);

    /// <summary>Makes every earlier <see cref="Write"/> durable (fsync). Throws if the disk fails.</summary>
    void Sync();

    /// <summary>Writes a consistent, openable copy of the whole backend into a new directory.</summary>
    void Checkpoint(string directory);

    /// <summary>Bytes the backend occupies (files and memory tables), for quotas and status.</summary>
    long SizeBytes { get; }

    /// <summary>Bytes of live data, an estimate; at most <see cref="SizeBytes"/>.</summary>
    long SizeInUseBytes { get; }

    /// <summary>Reclaims space left by deleted data (etcd's defragment).</summary>
    void Defragment();
}

/// <summary>Reads of the backend: of its latest state, or of a <see cref="IBackendView"/>.</summary>
public interface IBackendReader
{
    /// <summary>The value of <paramref name="key"/>; on the backend itself, including writes not yet synced.</summary>
    byte[]? Get(BackendTable table, ReadOnlySpan<byte> key);

    /// <summary>
    /// An iterator over keys in [<paramref name="lowerBound"/>, <paramref name="upperBound"/>) (null
    /// bounds are open). It reads one consistent point in time, fixed when it is created.
    /// </summary>
    IBackendIterator Iterate(BackendTable table, byte[]? lowerBound = null, byte[]? upperBound = null);
}

/// <summary>A point-in-time view. Owned by the caller, who disposes it.</summary>
public interface IBackendView : IBackendReader, IDisposable
{
}

/// <summary>
/// A forward iterator, positioned with <see cref="Seek"/>. Single-threaded; the spans it returns
/// are valid only until the next move or dispose.
/// </summary>
public interface IBackendIterator : IDisposable
{
    bool Valid { get; }

    ReadOnlySpan<byte> Key { get; }

    ReadOnlySpan<byte> Value { get; }

    /// <summary>Positions at the first key ≥ <paramref name="key"/> (clamped to the lower bound).</summary>
    void Seek(ReadOnlySpan<byte> key);

    void SeekToFirst();

    void Next();
}

/// <summary>A set of puts and deletes applied atomically. Single-threaded.</summary>
public interface IBackendBatch : IDisposable
{
    void Put(BackendTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(BackendTable table, ReadOnlySpan<byte> key);

    /// <summary>Deletes every key in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    void DeleteRange(BackendTable table, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end);

    /// <summary>Marks the batch as it is now; save points nest (one per transaction sharing the batch).</summary>
    void SetSavePoint();

    /// <summary>Drops every operation added since the latest save point, and that save point.</summary>
    void RollbackToSavePoint();

    /// <summary>Forgets the latest save point, keeping the operations added since.</summary>
    void PopSavePoint();

    int Count { get; }
}
