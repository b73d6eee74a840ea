namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_block_based_table_options_t*</c>. Installing it in options copies it into a new table
/// factory, so it can go as soon as it is installed.
/// </summary>
internal sealed class SafeBlockBasedTableOptionsHandle : SafeRocksHandle
{
    private SafeBlockBasedTableOptionsHandle(nint handle) : base(handle, []) { }

    internal static SafeBlockBasedTableOptionsHandle Create() => new(NativeMethods.rocksdb_block_based_options_create());

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_block_based_options_destroy(handle);
}
