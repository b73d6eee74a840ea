namespace MiniKube.Store.Snapshot;

/// <summary>What a snapshot held, as written into a store's backend.</summary>
/// <param name="Revision">The store's revision after the restore.</param>
/// <param name="CompactRevision">The compaction revision, or -1 if the history was never compacted.</param>
/// <param name="Keys">Keys that exist at <paramref name="Revision"/>.</param>
/// <param name="Versions">Entries of etcd's key bucket read, tombstones included.</param>
/// <param name="ConsistentIndex">The snapshot's consistent_index (the index of the last Raft entry applied).</param>
public sealed record RestoredData(long Revision, long CompactRevision, long Keys, long Versions, int Leases, long ConsistentIndex);
