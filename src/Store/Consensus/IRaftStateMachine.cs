using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus;

/// <summary>
/// What the Raft host applies committed entries to. Called only from the host's loop thread,
/// in index order, never concurrently.
/// </summary>
public interface IRaftStateMachine
{
    /// <summary>The last index whose effects are durably in the state machine (etcd's consistent index).</summary>
    ulong AppliedIndex { get; }

    /// <summary>
    /// Applies the payload committed at <paramref name="index"/>, writing the index in the same
    /// batch as the effects so a replay after a crash is recognised. An empty payload (a leader's
    /// no-op or a configuration change) only advances the index. The result goes to the waiting
    /// client when the entry was proposed on this member.
    /// </summary>
    object? Apply(ulong index, ReadOnlyMemory<byte> payload);

    /// <summary>
    /// Replaces the whole state with the leader's snapshot described by <paramref name="snapshot"/>
    /// (its database was received beside the MsgSnap), durably, before returning. Afterwards
    /// <see cref="AppliedIndex"/> is the database's consistent index, at or above the snapshot's
    /// index; entries up to it are then skipped. A state machine that cannot restore keeps this default.
    /// </summary>
    void Restore(SnapshotMetadata snapshot) =>
        throw new NotSupportedException($"this state machine cannot restore from a leader's snapshot (index {snapshot.Index})");
}
