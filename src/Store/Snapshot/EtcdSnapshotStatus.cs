namespace MiniKube.Store.Snapshot;

/// <summary>
/// What <c>etcdctl snapshot status</c> prints: a CRC-32C over every bucket's name, keys and values
/// in order, the newest revision in the key bucket, the number of keys in all buckets, and the
/// database's size (pages in use).
/// </summary>
public sealed record EtcdSnapshotStatus(uint Hash, long Revision, long TotalKeys, long TotalSize);
