namespace MiniKube.Raft;

/// <summary>A snapshot older than the one the storage already has was offered to it.</summary>
public sealed class SnapshotOutOfDateException(string message = "requested index is older than the existing snapshot")
    : RaftStorageException(message);
