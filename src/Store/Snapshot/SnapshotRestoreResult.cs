namespace MiniKube.Store.Snapshot;

/// <summary>What a restore wrote: where, for which member of which new cluster, and the data it holds.</summary>
public sealed record SnapshotRestoreResult(
    string DataDir,
    ulong ClusterId,
    RestoredMember Member,
    IReadOnlyList<RestoredMember> Members,
    RestoredData Data,
    EtcdSnapshotStatus Status);
