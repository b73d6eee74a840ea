namespace MiniKube.Raft;

/// <summary>
/// The requested index is at or below the storage's compaction point (the snapshot index):
/// the entry is gone for good. The leader answers a follower that needs it with a snapshot.
/// </summary>
public sealed class CompactedException(string message = "requested index is unavailable due to compaction")
    : RaftStorageException(message);
