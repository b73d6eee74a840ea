namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_t*</c>. Column family handles, snapshots, iterators and checkpoints hold references on
/// it, so <c>rocksdb_close</c> runs only after the last of them is destroyed.
/// </summary>
internal sealed class SafeDbHandle(nint handle) : SafeRocksHandle(handle, [])
{
    protected override void Destroy(nint handle) => NativeMethods.rocksdb_close(handle);
}
