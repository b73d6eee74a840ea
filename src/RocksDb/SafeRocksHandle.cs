using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// Base for every native RocksDB object this binding owns.
/// </summary>
/// <remarks>
/// Many RocksDB objects point into others: an iterator into its db, column family and read options; read
/// options into a snapshot and into the iterator bounds; a snapshot and a column family handle into the db.
/// Destroying the target first is a use-after-free. So a handle takes a reference
/// (<see cref="SafeHandle.DangerousAddRef"/>) on every handle it points into and releases them only after
/// destroying its own object. Whatever order <c>Dispose</c>, a race with another thread, or the finalizer
/// runs in, the native objects are then destroyed dependents-first, and using a closed handle throws
/// <see cref="ObjectDisposedException"/> from the marshaller rather than crashing.
/// </remarks>
internal abstract class SafeRocksHandle : SafeHandle
{
    private readonly SafeHandle[] _dependencies;

    /// <param name="handle">The native object; must not be null.</param>
    /// <param name="dependencies">
    /// Handles the object points into, already acquired with <see cref="Acquire"/>; this handle takes over
    /// those references and releases them, last first, after destroying its object.
    /// </param>
    protected SafeRocksHandle(nint handle, SafeHandle[] dependencies)
        : base(0, ownsHandle: true)
    {
        SetHandle(handle);
        _dependencies = dependencies;
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Destroys the native object. Its dependencies are still alive while this runs.</summary>
    protected abstract void Destroy(nint handle);

    protected sealed override bool ReleaseHandle()
    {
        Destroy(handle);
        for (int i = _dependencies.Length - 1; i >= 0; i--)
            _dependencies[i].DangerousRelease();
        return true;
    }

    /// <summary>
    /// Takes a reference on each handle, all or none, before a native object that will point into them is
    /// created: taking them afterwards would leave a window in which a concurrent dispose frees the target.
    /// </summary>
    /// <exception cref="ObjectDisposedException">One of the handles is already closed.</exception>
    internal static SafeHandle[] Acquire(params SafeHandle[] handles)
    {
        int acquired = 0;
        try
        {
            foreach (SafeHandle h in handles)
            {
                bool success = false;
                h.DangerousAddRef(ref success);
                acquired++;
            }
            return handles;
        }
        catch
        {
            for (int i = acquired - 1; i >= 0; i--)
                handles[i].DangerousRelease();
            throw;
        }
    }

    /// <summary>Gives back references from <see cref="Acquire"/> when the native object was not created.</summary>
    internal static void Release(SafeHandle[] acquired)
    {
        for (int i = acquired.Length - 1; i >= 0; i--)
            acquired[i].DangerousRelease();
    }

    /// <summary>Passes a freshly created native object through, or gives the references back and throws if it is null.</summary>
    internal static nint CheckCreated(nint created, SafeHandle[] acquired, string function)
    {
        if (created == 0)
        {
            Release(acquired);
            throw new RocksDbException($"{function} returned null.");
        }
        return created;
    }
}
