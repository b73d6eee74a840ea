using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

public sealed partial class MvccStore
{
    private const int ClearBatchSize = 10_000;

    /// <summary>
    /// Empties the data tables (keys, history, leases) and the meta values that describe them
    /// (revision, compaction marks, applied index), leaving the member's identity and the Raft log,
    /// so a leader's database can be loaded in their place. Writer thread only; follow with
    /// <see cref="Reload"/> once the new data is written.
    /// </summary>
    public void ClearForRestore()
    {
        // A physical compaction deleting from the old data must not run into the new.
        _compactionLock.Wait();
        try
        {
            foreach (var table in (ReadOnlySpan<BackendTable>)[BackendTable.Keys, BackendTable.History, BackendTable.Leases])
            {
                ClearTable(table);
            }

            using var batch = _backend.CreateBatch();
            batch.Delete(BackendTable.Meta, MetaKeys.Revision);
            batch.Delete(BackendTable.Meta, MetaKeys.AppliedIndex);
            batch.Delete(BackendTable.Meta, MetaKeys.CompactScheduled);
            batch.Delete(BackendTable.Meta, MetaKeys.CompactFinished);
            _backend.Write(batch);
        }
        finally
        {
            _compactionLock.Release();
        }
    }

    /// <summary>
    /// Re-reads the revision, compaction mark and applied index from the backend after its contents
    /// were replaced (etcd's kvstore.Restore). Readers see the restored revision from here on.
    /// Writer thread only.
    /// </summary>
    public void Reload()
    {
        _writeRevision = MetaKeys.ReadLong(_backend, MetaKeys.Revision, InitialRevision);
        Volatile.Write(ref _compactRevision, MetaKeys.ReadLong(_backend, MetaKeys.CompactScheduled, -1));
        Interlocked.Exchange(ref _appliedIndex, MetaKeys.ReadLong(_backend, MetaKeys.AppliedIndex, 0));
        Volatile.Write(ref _visibleRevision, _writeRevision);
    }

    private void ClearTable(BackendTable table)
    {
        while (true)
        {
            using var batch = _backend.CreateBatch();
            using (var it = _backend.Iterate(table))
            {
                for (it.SeekToFirst(); it.Valid && batch.Count < ClearBatchSize; it.Next())
                {
                    batch.Delete(table, it.Key);
                }
            }

            if (batch.Count == 0)
            {
                return;
            }

            _backend.Write(batch);
        }
    }
}
