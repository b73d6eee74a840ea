namespace MiniKube.Raft;

/// <summary>
/// Base of the errors an <see cref="IRaftStorage"/> reports. The core reacts to each subtype
/// differently (see the subtypes), so a storage must throw exactly these and nothing else for
/// the conditions they name; any other exception is treated as fatal by the host.
/// </summary>
public abstract class RaftStorageException(string message) : Exception(message);

/// <summary>
/// The requested index is at or below the storage's compaction point (the snapshot index):
/// the entry is gone for good. The leader answers a follower that needs it with a snapshot.
/// </summary>
public sealed class CompactedException(string message = "requested index is unavailable due to compaction")
    : RaftStorageException(message);

/// <summary>
/// The requested index is above the last index the storage holds. The core never asks for such
/// an index unless its own bookkeeping is wrong, so it treats this as a bug.
/// </summary>
public sealed class LogUnavailableException(string message = "requested entry at index is unavailable")
    : RaftStorageException(message);

/// <summary>
/// The storage cannot produce a snapshot right now (it is being built); the leader simply tries
/// again on a later heartbeat.
/// </summary>
public sealed class SnapshotTemporarilyUnavailableException(string message = "snapshot is temporarily unavailable")
    : RaftStorageException(message);

/// <summary>A snapshot older than the one the storage already has was offered to it.</summary>
public sealed class SnapshotOutOfDateException(string message = "requested index is older than the existing snapshot")
    : RaftStorageException(message);
