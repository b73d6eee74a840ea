namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_writebatch_t*</c>. A batch records column families by id only, so it holds no
/// reference on them.
/// </summary>
internal sealed class SafeWriteBatchHandle : SafeRocksHandle
{
    private SafeWriteBatchHandle(nint handle) : base(handle, []) { }

    internal static SafeWriteBatchHandle Create() => new(NativeMethods.rocksdb_writebatch_create());

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_writebatch_destroy(handle);
}
