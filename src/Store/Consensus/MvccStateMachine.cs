using Google.Protobuf;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Internal;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;
using MiniKube.Store.Server.Membership;
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
/// The writes of one Ready are applied as one write group (<see cref="MvccStore.BeginGroup"/>):
/// one backend write for all of them, with the applied index, on <see cref="FlushApplied"/>, which
/// then publishes their revisions and tells the watchers, in order. Entries that need the backend
/// to hold everything before them (a compaction, a transaction reading history at a revision,
/// membership) close the group first and are applied on their own.
/// A write becomes visible once applied, before the backend is synced: unlike the single-member
/// pipeline, the entry is already durable in this member's Raft log (saved, synced, before it was
/// applied) and on a quorum, so a crash replays it rather than loses it. Called only by the thread
/// owning the host's node.
/// <para>
/// With a <see cref="MemberRegistry"/>, conf changes and publishes change the registry in the
/// batch of their index, beside the resulting Raft configuration (see <see cref="IRaftStateMachine.ConfState"/>).
/// </para>
/// </remarks>
public sealed class MvccStateMachine(Applier applier, WatchHub watchHub, SnapshotDirectory? snapshots = null, MemberRegistry? members = null) : IRaftStateMachine
{
    private ConfState? _confState = applier.Store.Backend.Get(BackendTable.Meta, MembershipSnapshot.ConfStateKey) is { } stored ? ConfState.Parser.ParseFrom(stored) : null;

    // The revisions and events of the open group's writes, published and notified on its commit.
    private readonly List<(long Revision, IReadOnlyList<Mvccpb.Event> Changes)> _groupEvents = [];

    public ulong AppliedIndex => (ulong)applier.Store.AppliedIndex;

    public ConfState? ConfState => _confState;

    public object? ApplyConfChange(ulong index, ConfChange change, Func<ConfChange, ConfState> applyToRaft)
    {
        FlushApplied();
        Exception? refused = null;
        if (members is not null && change.NodeId != 0)
        {
            try
            {
                refused = members.Validate(change);
            }
            catch (InvalidDataException)
            {
                refused = MembershipErrors.BadUrls;
            }
        }

        // etcd's applyConfChange: a refused change still goes to Raft, as a change of node 0 (none).
        var confState = applyToRaft(refused is null ? change : new ConfChange { Id = change.Id, Type = change.Type });
        using (var txn = applier.Store.BeginWrite((long)index))
        {
            if (refused is null && change.NodeId != 0)
            {
                members?.Apply(change, txn.Batch);
            }

            txn.Batch.Put(BackendTable.Meta, MembershipSnapshot.ConfStateKey, confState.ToByteArray());
            txn.Commit();
        }

        _confState = confState.Clone();
        if (refused is null)
        {
            members?.RaiseChanged();
        }

        return refused;
    }

    public object? Apply(ulong index, ReadOnlyMemory<byte> payload)
    {
        var store = applier.Store;
        if (payload.IsEmpty)
        {
            BeginGroup();
            using var empty = store.BeginWrite((long)index);
            empty.Commit();
            return null;
        }

        var request = InternalRequest.Parser.ParseFrom(payload.Span);
        if (request.RequestCase == InternalRequest.RequestOneofCase.MemberAttributes)
        {
            FlushApplied();
            return Publish(index, request.MemberAttributes);
        }

        if (CanJoinGroup(request))
        {
            BeginGroup();
        }
        else
        {
            FlushApplied();
        }

        var before = store.WriteRevision;
        var result = applier.Apply(request, (long)index);
        var revision = store.WriteRevision;
        if (store.InGroup)
        {
            if (revision != before || result.Changes.Count > 0)
            {
                _groupEvents.Add((revision, result.Changes));
            }

            return result;
        }

        store.Publish(revision);
        if (revision != before || result.Changes.Count > 0)
        {
            watchHub.Notify(revision, result.Changes);
        }

        return result.ScheduledCompaction > 0
            ? result with { PhysicalCompaction = store.CompactPhysicallyAsync(result.ScheduledCompaction) }
            : result;
    }

    /// <summary>Commits the open write group, if any, then publishes its revisions and tells the watchers, in order.</summary>
    public void FlushApplied()
    {
        var store = applier.Store;
        if (!store.InGroup)
        {
            return;
        }

        store.CommitGroup();
        foreach (var (revision, changes) in _groupEvents)
        {
            store.Publish(revision);
            watchHub.Notify(revision, changes);
        }

        _groupEvents.Clear();
        store.Publish(store.WriteRevision);
    }

    private void BeginGroup()
    {
        if (!applier.Store.InGroup)
        {
            applier.Store.BeginGroup();
        }
    }

    /// <summary>
    /// Whether the write may be applied with the group's earlier writes still outside the backend:
    /// not a compaction (its physical part reads the backend), nor a transaction that reads history
    /// at an explicit revision (history in the group is not in the backend yet).
    /// </summary>
    private static bool CanJoinGroup(InternalRequest request) => request.RequestCase switch
    {
        InternalRequest.RequestOneofCase.Compaction => false,
        InternalRequest.RequestOneofCase.Txn => !ReadsHistory(request.Txn),
        _ => true,
    };

    private static bool ReadsHistory(Etcdserverpb.TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).Any(op => op.RequestCase switch
        {
            Etcdserverpb.RequestOp.RequestOneofCase.RequestRange => op.RequestRange.Revision != 0,
            Etcdserverpb.RequestOp.RequestOneofCase.RequestTxn => ReadsHistory(op.RequestTxn),
            _ => false,
        });

    private object? Publish(ulong index, MemberAttributesRequest attributes)
    {
        bool changed;
        using (var txn = applier.Store.BeginWrite((long)index))
        {
            changed = members?.SetAttributes(attributes.MemberId, attributes.Name, [.. attributes.ClientUrls], txn.Batch) ?? false;
            txn.Commit();
        }

        if (changed)
        {
            members!.RaiseChanged();
        }

        return null;
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

        FlushApplied();

        // Mapped, not read onto the heap: a snapshot of many MiB is paged in as its trees are walked.
        using var mapped = MappedFile.Open(path);
        var bolt = BoltFileReader.Open(mapped.Memory);
        var store = applier.Store;
        var backend = store.Backend;
        store.ClearForRestore();
        var restored = EtcdSnapshotReader.Restore(bolt, backend);
        if ((ulong)restored.ConsistentIndex < snapshot.Index)
        {
            throw new InvalidDataException($"the database's consistent index ({restored.ConsistentIndex}) is below the snapshot's index ({snapshot.Index})");
        }

        var (restoredMembers, removed, confState) = MembershipSnapshot.Read(bolt);
        confState ??= snapshot.ConfState;
        using (var batch = backend.CreateBatch())
        {
            MetaKeys.WriteLong(batch, MetaKeys.AppliedIndex, restored.ConsistentIndex);
            if (members is not null && restoredMembers.Count > 0)
            {
                members.Replace(batch, restoredMembers, removed);
            }

            if (confState is not null)
            {
                batch.Put(BackendTable.Meta, MembershipSnapshot.ConfStateKey, confState.ToByteArray());
            }

            backend.Write(batch);
        }

        _confState = confState?.Clone();

        backend.Sync();
        store.Reload();
        applier.Lessor.Restore(store);
        watchHub.Restore(store.Revision);
        snapshots.PruneBefore(snapshot.Index);
        members?.RaiseChanged();
    }
}
