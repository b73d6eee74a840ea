using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

/// <summary>
/// Multi-version key-value state with etcd's semantics, over an <see cref="IBackend"/>.
/// </summary>
/// <remarks>
/// Writes come from one thread, the Raft host's loop applying committed entries (see
/// <see cref="Consensus.MvccStateMachine"/>), through <see cref="BeginWrite"/>; a transaction's
/// changes reach the backend unsynced, and the writer then calls <see cref="Publish"/>. Only then
/// do readers see the new revision: every read is pinned to the published revision and skips
/// newer versions. A published write may not be synced in the backend yet, but its entry is
/// already synced in the Raft log, so a crash replays it rather than takes it back. Reads run on
/// any thread, without locks.
/// </remarks>
public sealed partial class MvccStore : IDisposable
{
    /// <summary>etcd starts counting at 1: the first write is revision 2.</summary>
    public const long InitialRevision = 1;

    private readonly IBackend _backend;
    private long _writeRevision;
    private long _visibleRevision;
    private long _compactRevision;
    private long _appliedIndex;

    public MvccStore(IBackend backend)
    {
        _backend = backend;
        _writeRevision = MetaKeys.ReadLong(backend, MetaKeys.Revision, InitialRevision);
        _visibleRevision = _writeRevision;
        _appliedIndex = MetaKeys.ReadLong(backend, MetaKeys.AppliedIndex, 0);
        _compactRevision = MetaKeys.ReadLong(backend, MetaKeys.CompactScheduled, -1);
        var finished = MetaKeys.ReadLong(backend, MetaKeys.CompactFinished, -1);
        if (finished < _compactRevision)
        {
            // A crash interrupted a physical compaction; it is idempotent, so finish it.
            _ = CompactPhysicallyAsync(_compactRevision);
        }
    }

    public IBackend Backend => _backend;

    /// <summary>The newest revision readers may see.</summary>
    public long Revision => Volatile.Read(ref _visibleRevision);

    /// <summary>The revision of the last compaction request (-1 if none); history below it is gone.</summary>
    public long CompactRevision => Volatile.Read(ref _compactRevision);

    /// <summary>The newest revision applied by the writer, visible or not. Writer thread only.</summary>
    public long WriteRevision => _writeRevision;

    /// <summary>Told how long each transaction's write to the backend took (etcd's backend commit metric); writer thread.</summary>
    public Action<TimeSpan>? BackendCommitObserver { get; set; }

    /// <summary>The index of the last write applied (see <see cref="MetaKeys.AppliedIndex"/>).</summary>
    public long AppliedIndex => Interlocked.Read(ref _appliedIndex);

    /// <summary>Reads a range at the published revision, or at <see cref="RangeOptions.Revision"/>.</summary>
    public RangeResult Range(KeyRange range, RangeOptions options, bool keysOnly = false)
    {
        var current = Revision;
        var atRevision = ResolveReadRevision(options.Revision, current);
        using var it = VersionScanner.OpenIterator(_backend, range);

        // The iterator's view is fixed now; checking the compaction mark after taking it means a
        // compaction that could still delete versions we need began after our view was taken.
        if (atRevision < CompactRevision)
        {
            throw new MvccException(MvccError.Compacted);
        }

        var collector = new RangeCollector(options, keysOnly);
        VersionScanner.Scan(it, atRevision, collector.Visit);
        return new RangeResult(collector.KeyValues, collector.Count, current);
    }

    /// <summary>
    /// Starts the write transaction that applies write number <paramref name="index"/>. Writer
    /// thread only; one at a time.
    /// </summary>
    public MvccWriteTxn BeginWrite(long index) => new(this, _backend, _writeRevision, index);

    /// <summary>Makes every revision up to <paramref name="revision"/> visible. Call only after a sync.</summary>
    public void Publish(long revision)
    {
        if (revision > Volatile.Read(ref _visibleRevision))
        {
            Volatile.Write(ref _visibleRevision, revision);
        }
    }

    /// <summary>Records that write <paramref name="index"/> was applied without changing anything (it failed).</summary>
    internal void Skipped(long index) => Interlocked.Exchange(ref _appliedIndex, index);

    internal void Committed(long revision, long index)
    {
        _writeRevision = revision;
        Interlocked.Exchange(ref _appliedIndex, index);
    }

    internal static long ResolveReadRevision(long requested, long current)
    {
        if (requested > current)
        {
            throw new MvccException(MvccError.FutureRevision);
        }

        return requested > 0 ? requested : current;
    }

    public void Dispose() => _compactionLock.Dispose();
}
