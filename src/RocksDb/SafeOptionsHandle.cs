namespace MiniKube.RocksDb;

/// <summary>Owns a <c>rocksdb_options_t*</c>. RocksDB copies options on open, so it can go right after.</summary>
internal sealed class SafeOptionsHandle : SafeRocksHandle
{
    private SafeOptionsHandle(nint handle) : base(handle, []) { }

    internal static SafeOptionsHandle Create() => new(NativeMethods.rocksdb_options_create());

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_options_destroy(handle);
}
