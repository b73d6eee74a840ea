using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>const rocksdb_snapshot_t*</c>, which is released against the db that made it; it holds a
/// reference on that db so the db cannot close while the snapshot is still registered with it.
/// </summary>
internal sealed class SafeSnapshotHandle : SafeRocksHandle
{
    private readonly SafeDbHandle _db;

    private SafeSnapshotHandle(nint handle, SafeDbHandle db, SafeHandle[] dependencies) : base(handle, dependencies) => _db = db;

    internal static SafeSnapshotHandle Create(SafeDbHandle db)
    {
        SafeHandle[] dependencies = Acquire(db);
        nint snapshot = NativeMethods.rocksdb_create_snapshot(db.DangerousGetHandle());
        return new SafeSnapshotHandle(CheckCreated(snapshot, dependencies, "rocksdb_create_snapshot"), db, dependencies);
    }

    // The db reference is released by the base class only after this returns.
    protected override void Destroy(nint handle) => NativeMethods.rocksdb_release_snapshot(_db.DangerousGetHandle(), handle);
}
