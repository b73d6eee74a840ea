namespace MiniKube.Raft;

/// <summary>Volatile state the host may want to observe (not persisted): the leader and our role.</summary>
public readonly record struct SoftState(ulong Lead, RaftRole Role);
