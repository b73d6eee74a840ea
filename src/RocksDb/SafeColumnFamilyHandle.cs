using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_column_family_handle_t*</c>. Destroying one takes the db's mutex, so it holds a
/// reference on the db.
/// </summary>
internal sealed class SafeColumnFamilyHandle : SafeRocksHandle
{
    private SafeColumnFamilyHandle(nint handle, SafeHandle[] dependencies) : base(handle, dependencies) { }

    /// <summary>Wraps a handle that <c>rocksdb_open_column_families</c> returned for <paramref name="db"/>.</summary>
    internal static SafeColumnFamilyHandle Adopt(SafeDbHandle db, nint handle)
    {
        SafeHandle[] dependencies = Acquire(db);
        return new SafeColumnFamilyHandle(handle, dependencies);
    }

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_column_family_handle_destroy(handle);
}
