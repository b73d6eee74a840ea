using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>Owns a <c>rocksdb_checkpoint_t*</c>, which keeps a pointer to its db.</summary>
internal sealed class SafeCheckpointHandle : SafeRocksHandle
{
    private SafeCheckpointHandle(nint handle, SafeHandle[] dependencies) : base(handle, dependencies) { }

    internal static unsafe SafeCheckpointHandle Create(SafeDbHandle db)
    {
        SafeHandle[] dependencies = Acquire(db);
        nint err = 0;
        nint checkpoint = NativeMethods.rocksdb_checkpoint_object_create(db.DangerousGetHandle(), &err);
        if (err != 0)
        {
            Release(dependencies);
            RocksDbException.ThrowIfError(err);
        }
        return new SafeCheckpointHandle(CheckCreated(checkpoint, dependencies, "rocksdb_checkpoint_object_create"), dependencies);
    }

    protected override void Destroy(nint handle) => NativeMethods.rocksdb_checkpoint_object_destroy(handle);
}
