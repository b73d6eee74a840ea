namespace MiniKube.Raft;

/// <summary>
/// The storage cannot produce a snapshot right now (it is being built); the leader simply tries
/// again on a later heartbeat.
/// </summary>
public sealed class SnapshotTemporarilyUnavailableException(string message = "snapshot is temporarily unavailable")
    : RaftStorageException(message);
