namespace MiniKube.Raft;

/// <summary>
/// A proposal (or ReadIndex request) was not accepted: there is no known leader, this node was
/// removed from the configuration, or a leadership transfer is in progress. Nothing was appended;
/// the caller may retry later. Proposals forwarded to a leader can still be lost silently (the
/// message may be dropped), so callers must time out and retry anyway.
/// </summary>
public sealed class ProposalDroppedException(string message = "raft proposal dropped") : InvalidOperationException(message);
