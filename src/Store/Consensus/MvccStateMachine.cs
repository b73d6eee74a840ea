using MiniKube.Raft.Pb;
using MiniKube.Store.Internal;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;
using MiniKube.Store.Snapshot;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Consensus;

/// <summary>
/// The store as a Raft state machine: each committed payload is an <see cref="InternalRequest"/>
/// applied through the same <see cref="Applier"/> as the single-member pipeline, with the Raft
/// index as the applied index in the same batch. The result handed back is the
/// <see cref="AppliedWrite"/> the proposing client waits for.
/// </summary>
/// <remarks>
/// A write becomes visible once applied, before the backend is synced: unlike the single-member
/// pipeline, the entry is already durable in this member's Raft log (saved, synced, before it was
/// applied) and on a quorum, so a crash replays it rather than loses it. Called only from the host
/// loop thread.
/// </remarks>
public sealed class MvccStateMachine(Applier applier, WatchHub watchHub, SnapshotDirectory? snapshots = null) : IRaftStateMachine
{
    public ulong AppliedIndex => (ulong)applier.Store.AppliedIndex;

    public object? Apply(ulong index, ReadOnlyMemory<byte> payload)
    {
        var store = applier.Store;
        if (payload.IsEmpty)
        {
            using var empty = store.BeginWrite((long)index);
            empty.Commit();
            return null;
        }

        var before = store.WriteRevision;
        var result = applier.Apply(InternalRequest.Parser.ParseFrom(payload.Span), (long)index);
        var revision = store.WriteRevision;
        store.Publish(revision);
        if (revision != before || result.Changes.Count > 0)
        {
            watchHub.Notify(revision, result.Changes);
        }

        return result.ScheduledCompaction > 0
            ? result with { PhysicalCompaction = store.CompactPhysicallyAsync(result.ScheduledCompaction) }
            : result;
    }

    /// <summary>
    /// etcd's applySnapshot: the backend's data replaced by the leader's database (keys, history,
    /// leases, revision and compaction marks, consistent index), then the in-memory state rebuilt
    /// from it: the store's marks, the lessor, and the watchers, which replay from their next
    /// revision. The member's identity and Raft log are left as they are.
    /// </summary>
    /// <remarks>
    /// Not atomic: a crash part way leaves the data half replaced, with no applied index. The host
    /// notices on restart (its log's snapshot is ahead of <see cref="AppliedIndex"/>) and restores
    /// again from the same file, which is kept until a later snapshot replaces it.
    /// </remarks>
    public void Restore(SnapshotMetadata snapshot)
    {
        if (snapshots is null)
        {
            throw new InvalidOperationException($"cannot restore the snapshot at index {snapshot.Index}: this member has no snapshot directory");
        }

        var path = snapshots.PathFor(snapshot.Index);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the database of the snapshot at index {snapshot.Index} was not received", path);
        }

        // The bolt reader needs the file in memory; it is read once, here, not while receiving.
        var bolt = BoltFileReader.Open(File.ReadAllBytes(path));
        var store = applier.Store;
        var backend = store.Backend;
        store.ClearForRestore();
        var restored = EtcdSnapshotReader.Restore(bolt, backend);
        if ((ulong)restored.ConsistentIndex < snapshot.Index)
        {
            throw new InvalidDataException($"the database's consistent index ({restored.ConsistentIndex}) is below the snapshot's index ({snapshot.Index})");
        }

        using (var batch = backend.CreateBatch())
        {
            MetaKeys.WriteLong(batch, MetaKeys.AppliedIndex, restored.ConsistentIndex);
            backend.Write(batch);
        }

        backend.Sync();
        store.Reload();
        applier.Lessor.Restore(store);
        watchHub.Restore(store.Revision);
        snapshots.PruneBefore(snapshot.Index);
    }
}
