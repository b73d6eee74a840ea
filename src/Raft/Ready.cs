using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// Work the host must do, in this order: persist <see cref="HardState"/>, <see cref="Entries"/>
/// and <see cref="Snapshot"/> (one synced write when <see cref="MustSync"/>); then send
/// <see cref="Messages"/> (never before the persist: a vote or an ack promises the data is
/// durable); then apply <see cref="CommittedEntries"/> (calling
/// <see cref="RawNode.ApplyConfChange"/> for conf-change entries); then call
/// <see cref="RawNode.Advance"/> with this same Ready. The lists are the host's to keep.
/// </summary>
public sealed record Ready
{
    /// <summary>Set only when the leader or our role changed since the last Ready.</summary>
    public SoftState? SoftState { get; init; }

    /// <summary>Set only when term, vote or commit changed since the last Ready.</summary>
    public HardState? HardState { get; init; }

    /// <summary>ReadIndex answers, to serve once the applied index reaches each one.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>Entries to append to storage (replacing any conflicting suffix).</summary>
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>A snapshot received from the leader, to persist (and load into the state machine).</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>Entries committed by a quorum, to apply in order. Already persisted, or in <see cref="Entries"/>.</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; init; } = [];

    /// <summary>Messages to send after the entries are persisted.</summary>
    public IReadOnlyList<Message> Messages { get; init; } = [];

    /// <summary>Whether the write must be synced to disk (entries, term or vote changed).</summary>
    public bool MustSync { get; init; }
}
