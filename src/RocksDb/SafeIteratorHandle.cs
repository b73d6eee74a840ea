using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_iterator_t*</c>. The iterator points into its db, its column family and its read options
/// (whose bounds it reads on every move), so it holds references on all three.
/// </summary>
internal sealed class SafeIteratorHandle : SafeRocksHandle
{
    private SafeIteratorHandle(nint handle, SafeHandle[] dependencies) : base(handle, dependencies) { }

    internal static SafeIteratorHandle Create(SafeDbHandle db, SafeColumnFamilyHandle columnFamily, SafeReadOptionsHandle readOptions)
    {
        SafeHandle[] dependencies = Acquire(db, columnFamily, readOptions);
        nint iterator = NativeMethods.rocksdb_create_iterator_cf(
            db.DangerousGetHandle(), readOptions.DangerousGetHandle(), columnFamily.DangerousGetHandle());
        return new SafeIteratorHandle(CheckCreated(iterator, dependencies, "rocksdb_create_iterator_cf"), dependencies);
    }

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_iter_destroy(handle);
}
