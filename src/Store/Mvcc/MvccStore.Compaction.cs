using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

public sealed partial class MvccStore
{
    /// <summary>Keys handled per backend batch while compacting, to bound memory and batch size.</summary>
    private const int CompactionChunkKeys = 1000;

    private readonly SemaphoreSlim _compactionLock = new(1, 1);

    /// <summary>
    /// Validates a compaction request and records it in <paramref name="txn"/>'s batch. Writer thread
    /// only. From the commit on, reads below <paramref name="revision"/> fail; the caller then starts
    /// <see cref="CompactPhysicallyAsync"/>.
    /// </summary>
    public void ScheduleCompaction(MvccWriteTxn txn, long revision)
    {
        if (revision <= CompactRevision)
        {
            throw new MvccException(MvccError.Compacted);
        }

        if (revision > txn.BeginRevision)
        {
            throw new MvccException(MvccError.FutureRevision);
        }

        MetaKeys.WriteLong(txn.Batch, MetaKeys.CompactScheduled, revision);
    }

    /// <summary>Marks <paramref name="revision"/> compacted for readers. Writer thread, after the commit.</summary>
    public void CompactionScheduled(long revision) => Volatile.Write(ref _compactRevision, revision);

    /// <summary>
    /// Removes the versions and history entries that no read at or above <paramref name="revision"/>
    /// can see. Idempotent, so a crash midway is repaired by running it again at start. Compactions
    /// run one at a time, in the order requested.
    /// </summary>
    public async Task CompactPhysicallyAsync(long revision)
    {
        await _compactionLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.Run(() => CompactPhysically(revision)).ConfigureAwait(false);
        }
        finally
        {
            _compactionLock.Release();
        }
    }

    private void CompactPhysically(long revision)
    {
        if (MetaKeys.ReadLong(_backend, MetaKeys.CompactFinished, -1) >= revision)
        {
            return;
        }

        // Every key with a version to remove was changed at or below the compaction revision after
        // the previous compaction, so the remaining history names all of them.
        var keys = new HashSet<byte[]>(ByteArrayComparer.Instance);
        using (var history = _backend.Iterate(BackendTable.History, upperBound: KeyEncoding.HistoryStart(revision + 1)))
        {
            for (history.SeekToFirst(); history.Valid; history.Next())
            {
                keys.Add(HistoryRecord.UserKey(history.Value).ToArray());
                if (keys.Count >= CompactionChunkKeys)
                {
                    RemoveOldVersions(keys, revision);
                    keys.Clear();
                }
            }
        }

        RemoveOldVersions(keys, revision);

        using var batch = _backend.CreateBatch();
        // History at the compaction revision itself stays: a watch may still start there.
        batch.DeleteRange(BackendTable.History, KeyEncoding.HistoryStart(0), KeyEncoding.HistoryStart(revision));
        MetaKeys.WriteLong(batch, MetaKeys.CompactFinished, revision);
        _backend.Write(batch);
    }

    private void RemoveOldVersions(HashSet<byte[]> keys, long revision)
    {
        if (keys.Count == 0)
        {
            return;
        }

        using var batch = _backend.CreateBatch();
        foreach (var key in keys)
        {
            using var it = _backend.Iterate(BackendTable.Keys, KeyEncoding.VersionKey(key, revision), KeyEncoding.AfterVersions(key));
            it.SeekToFirst();
            if (!it.Valid)
            {
                continue;
            }

            // The newest version at or below the compaction revision stays, unless it is a deletion.
            if (VersionRecord.IsTombstone(it.Value))
            {
                batch.Delete(BackendTable.Keys, it.Key);
            }

            for (it.Next(); it.Valid; it.Next())
            {
                batch.Delete(BackendTable.Keys, it.Key);
            }
        }

        if (batch.Count > 0)
        {
            _backend.Write(batch);
        }
    }
}
