namespace MiniKube.RocksDb;

/// <summary>Owns a <c>rocksdb_flushoptions_t*</c>.</summary>
internal sealed class SafeFlushOptionsHandle : SafeRocksHandle
{
    private SafeFlushOptionsHandle(nint handle) : base(handle, []) { }

    /// <param name="wait">Block until the flush has finished.</param>
    internal static SafeFlushOptionsHandle Create(bool wait)
    {
        var options = new SafeFlushOptionsHandle(NativeMethods.rocksdb_flushoptions_create());
        NativeMethods.rocksdb_flushoptions_set_wait(options, wait);
        return options;
    }

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_flushoptions_destroy(handle);
}
