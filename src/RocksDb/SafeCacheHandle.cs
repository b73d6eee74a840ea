namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_cache_t*</c>, a wrapper around a shared_ptr: table options copy the shared_ptr, so the
/// cache itself lives on with the databases that use it after this wrapper is destroyed.
/// </summary>
internal sealed class SafeCacheHandle : SafeRocksHandle
{
    private SafeCacheHandle(nint handle) : base(handle, []) { }

    internal static SafeCacheHandle CreateLru(nuint capacity) => new(NativeMethods.rocksdb_cache_create_lru(capacity));

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_cache_destroy(handle);
}
