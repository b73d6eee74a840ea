namespace MiniKube.Raft;

/// <summary>
/// A snapshot of a node's state for the host's status pages. <see cref="Progress"/> is filled only
/// on the leader and holds copies.
/// </summary>
public sealed record RaftStatus(
    ulong Id,
    ulong Term,
    ulong Vote,
    ulong Commit,
    ulong Lead,
    RaftRole Role,
    ulong Applied,
    ulong LeadTransferee,
    IReadOnlyDictionary<ulong, Progress> Progress);
