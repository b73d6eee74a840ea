using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus;

/// <summary>
/// What the Raft host applies committed entries to. Called only by the thread owning the host's node,
/// in index order, never concurrently; each Ready's entries end with <see cref="FlushApplied"/>.
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
    /// Called once the committed entries of one Ready went through <see cref="Apply"/> or
    /// <see cref="ApplyConfChange"/>: a state machine that gathers their effects (one backend write
    /// for all of them) makes them durable-once-synced and readable now. The host hands the results
    /// to their clients, and counts the entries applied, only after it returns.
    /// </summary>
    void FlushApplied()
    {
    }

    /// <summary>
    /// The configuration as of <see cref="AppliedIndex"/>, persisted with it, or null when this
    /// state machine does not keep one: on restart Raft starts from it rather than from the log's
    /// snapshot, which may be older than conf changes already applied (and not replayed).
    /// </summary>
    ConfState? ConfState => null;

    /// <summary>
    /// Applies the conf change committed at <paramref name="index"/>: decides whether it is valid
    /// (deterministically), calls <paramref name="applyToRaft"/> with it (or with an empty change,
    /// node 0, when refused, as etcd does) and persists the outcome with the index and the
    /// configuration it returns. The result (null, or the refusal's exception) goes to the waiting
    /// proposer.
    /// </summary>
    object? ApplyConfChange(ulong index, ConfChange change, Func<ConfChange, ConfState> applyToRaft)
    {
        applyToRaft(change);
        Apply(index, ReadOnlyMemory<byte>.Empty);
        return null;
    }

    /// <summary>
    /// Replaces the whole state with the leader's snapshot described by <paramref name="snapshot"/>
    /// (its database was received beside the MsgSnap), durably, before returning. Afterwards
    /// <see cref="AppliedIndex"/> is the database's consistent index, at or above the snapshot's
    /// index; entries up to it are then skipped. A state machine that cannot restore keeps this default.
    /// </summary>
    void Restore(SnapshotMetadata snapshot) =>
        throw new NotSupportedException($"this state machine cannot restore from a leader's snapshot (index {snapshot.Index})");
}
