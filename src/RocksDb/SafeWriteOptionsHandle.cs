namespace MiniKube.RocksDb;

/// <summary>Owns a <c>rocksdb_writeoptions_t*</c>; RocksDB only reads it, so threads may share one.</summary>
internal sealed class SafeWriteOptionsHandle : SafeRocksHandle
{
    private SafeWriteOptionsHandle(nint handle) : base(handle, []) { }

    /// <param name="sync">Fsync the WAL before a write returns.</param>
    internal static SafeWriteOptionsHandle Create(bool sync)
    {
        var options = new SafeWriteOptionsHandle(NativeMethods.rocksdb_writeoptions_create());
        NativeMethods.rocksdb_writeoptions_set_sync(options, sync);
        return options;
    }

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_writeoptions_destroy(handle);
}
