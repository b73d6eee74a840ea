namespace MiniKube.RocksDb;

/// <summary>
/// A column family of an open <see cref="RocksDatabase"/>: a separate keyspace with its own memtables and SST
/// files, written atomically with the others through a <see cref="RocksWriteBatch"/>.
/// </summary>
/// <remarks>
/// Owned by the database, which hands out the same instance every time and closes it on dispose; callers
/// never dispose it. Once the database is disposed, operations that use it throw
/// <see cref="ObjectDisposedException"/>. Safe to share between threads.
/// </remarks>
public sealed class ColumnFamily
{
    internal ColumnFamily(RocksDatabase owner, string name, SafeColumnFamilyHandle handle)
    {
        Owner = owner;
        Name = name;
        Handle = handle;
    }

    public string Name { get; }

    internal RocksDatabase Owner { get; }

    internal SafeColumnFamilyHandle Handle { get; }

    public override string ToString() => Name;

    /// <summary>
    /// Throws for a null family or one whose database is disposed. Checked here rather than left to the
    /// handle, which stays open while an in-flight call on another thread still holds a reference to it.
    /// </summary>
    internal static void ThrowIfUnusable(ColumnFamily cf)
    {
        ArgumentNullException.ThrowIfNull(cf);
        cf.Owner.ThrowIfDisposed();
    }
}
