using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// Owns a <c>rocksdb_readoptions_t*</c> and the native buffer its iterate bounds point into.
/// </summary>
/// <remarks>
/// <c>rocksdb_readoptions_set_iterate_lower_bound</c>/<c>_upper_bound</c> keep the caller's pointer, so the
/// bounds are copied into native memory that is freed only after the read options are destroyed (and the
/// read options only after the iterators reading with them, which hold references on this handle). When a
/// snapshot is set, this handle holds a reference on it. RocksDB only reads the options, so threads may share
/// one for point reads.
/// </remarks>
internal sealed unsafe class SafeReadOptionsHandle : SafeRocksHandle
{
    private byte* _bounds;

    private SafeReadOptionsHandle(nint handle, SafeHandle[] dependencies) : base(handle, dependencies) { }

    /// <param name="snapshot">Read as of this snapshot, or the latest state when null.</param>
    internal static SafeReadOptionsHandle Create(SafeSnapshotHandle? snapshot = null)
    {
        if (snapshot is null)
            return new SafeReadOptionsHandle(NativeMethods.rocksdb_readoptions_create(), []);

        SafeHandle[] dependencies = Acquire(snapshot);
        nint options = NativeMethods.rocksdb_readoptions_create();
        NativeMethods.rocksdb_readoptions_set_snapshot(options, snapshot.DangerousGetHandle());
        return new SafeReadOptionsHandle(options, dependencies);
    }

    /// <summary>Sets iterate bounds (inclusive lower, exclusive upper); call at most once, before any read.</summary>
    internal void SetIterateBounds(byte[]? lowerBound, byte[]? upperBound)
    {
        if (lowerBound is null && upperBound is null)
            return;
        if (_bounds != null)
            throw new InvalidOperationException("Iterate bounds are already set.");

        int lowerLength = lowerBound?.Length ?? 0;
        int upperLength = upperBound?.Length ?? 0;
        // One byte at least: an empty bound is still a bound, and the C API reads a null pointer as "none".
        _bounds = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, lowerLength + upperLength));
        if (lowerBound is not null)
        {
            lowerBound.CopyTo(new Span<byte>(_bounds, lowerLength));
            NativeMethods.rocksdb_readoptions_set_iterate_lower_bound(this, _bounds, (nuint)lowerLength);
        }
        if (upperBound is not null)
        {
            upperBound.CopyTo(new Span<byte>(_bounds + lowerLength, upperLength));
            NativeMethods.rocksdb_readoptions_set_iterate_upper_bound(this, _bounds + lowerLength, (nuint)upperLength);
        }
    }

    protected override void Destroy(nint handle)
    {
        NativeMethods.rocksdb_readoptions_destroy(handle);
        NativeMemory.Free(_bounds);
        _bounds = null;
    }
}
