namespace MiniKube.Raft;

/// <summary>
/// The requested index is above the last index the storage holds. The core never asks for such
/// an index unless its own bookkeeping is wrong, so it treats this as a bug.
/// </summary>
public sealed class LogUnavailableException(string message = "requested entry at index is unavailable")
    : RaftStorageException(message);
