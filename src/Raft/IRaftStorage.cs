using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// The persisted part of the Raft log, in the shape of etcd raft's <c>Storage</c>. The host
/// writes to it (entries, hard state, snapshots) only from a <see cref="Ready"/> before calling
/// <see cref="RawNode.Advance"/>; the core only reads. Never called concurrently by the core.
/// </summary>
/// <remarks>
/// Indexes: the storage holds a snapshot at index <c>FirstIndex() - 1</c> (0 for an empty log)
/// and entries <c>FirstIndex() .. LastIndex()</c>. The term of the snapshot index itself is still
/// available through <see cref="Term"/>, as etcd's dummy entry does.
/// Ownership: returned entries and snapshots are shared, never mutated by the core afterwards,
/// and must not be mutated by the storage once returned.
/// Errors: <see cref="CompactedException"/> when an index is at or below the compaction point,
/// <see cref="LogUnavailableException"/> when above the last index,
/// <see cref="SnapshotTemporarilyUnavailableException"/> from <see cref="Snapshot"/> when a
/// snapshot is not ready yet. Nothing else is expected.
/// </remarks>
public interface IRaftStorage
{
    /// <summary>The saved hard state and the configuration as of the last snapshot (or empty ones).</summary>
    (HardState HardState, ConfState ConfState) InitialState();

    /// <summary>
    /// Entries in [lo, hi). <paramref name="maxSize"/> limits the total byte size returned, but
    /// at least one entry is returned if there is any.
    /// </summary>
    IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxSize);

    /// <summary>The term of entry <paramref name="index"/>, for FirstIndex()-1 ≤ index ≤ LastIndex().</summary>
    ulong Term(ulong index);

    ulong LastIndex();

    /// <summary>The index of the first entry that may be returned by <see cref="Entries"/>.</summary>
    ulong FirstIndex();

    /// <summary>The most recent snapshot; the core sends it to followers that need compacted entries.</summary>
    Snapshot Snapshot();
}
