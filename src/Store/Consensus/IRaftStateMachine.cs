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
}
