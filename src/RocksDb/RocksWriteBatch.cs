namespace MiniKube.RocksDb;

/// <summary>
/// Puts and deletes, across any column families of one database, that <see cref="RocksDatabase.Write"/>
/// applies atomically: a reader sees all of them or none.
/// </summary>
/// <remarks>
/// Not thread-safe: build a batch on one thread at a time. Keys and values are copied into the batch, so the
/// spans may be reused as soon as a call returns. A batch may be written more than once, and reused after
/// <see cref="Clear"/>. It records column families by id, so write it only to the database whose families
/// it names.
/// </remarks>
public sealed unsafe class RocksWriteBatch : IDisposable
{
    private readonly SafeWriteBatchHandle _handle = SafeWriteBatchHandle.Create();
    private bool _disposed;

    internal SafeWriteBatchHandle Handle
    {
        get
        {
            ThrowIfDisposed();
            return _handle;
        }
    }

    /// <summary>Number of operations in the batch (a range delete counts as one).</summary>
    public int Count => NativeMethods.rocksdb_writebatch_count(Handle);

    /// <summary>Size in bytes of the batch's serialized form, which is roughly what it adds to the WAL.</summary>
    public long DataSize
    {
        get
        {
            nuint size;
            NativeMethods.rocksdb_writebatch_data(Handle, &size);
            return (long)size;
        }
    }

    public void Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ColumnFamily.ThrowIfUnusable(cf);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            NativeMethods.rocksdb_writebatch_put_cf(Handle, cf.Handle, k, (nuint)key.Length, v, (nuint)value.Length);
        }
    }

    public void Delete(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        ColumnFamily.ThrowIfUnusable(cf);
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_writebatch_delete_cf(Handle, cf.Handle, k, (nuint)key.Length);
        }
    }

    /// <summary>Deletes every key in [<paramref name="startKey"/>, <paramref name="endKey"/>).</summary>
    public void DeleteRange(ColumnFamily cf, ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        ColumnFamily.ThrowIfUnusable(cf);
        fixed (byte* s = startKey)
        fixed (byte* e = endKey)
        {
            NativeMethods.rocksdb_writebatch_delete_range_cf(Handle, cf.Handle, s, (nuint)startKey.Length, e, (nuint)endKey.Length);
        }
    }

    public void Clear() => NativeMethods.rocksdb_writebatch_clear(Handle);

    /// <summary>Marks the batch as it is now, for <see cref="RollbackToSavePoint"/>; save points nest.</summary>
    public void SetSavePoint() => NativeMethods.rocksdb_writebatch_set_save_point(Handle);

    /// <summary>Drops every operation added since the latest save point, and that save point.</summary>
    public void RollbackToSavePoint()
    {
        nint err = 0;
        NativeMethods.rocksdb_writebatch_rollback_to_save_point(Handle, &err);
        RocksDbException.ThrowIfError(err);
    }

    /// <summary>Forgets the latest save point, keeping what was added since.</summary>
    public void PopSavePoint()
    {
        nint err = 0;
        NativeMethods.rocksdb_writebatch_pop_save_point(Handle, &err);
        RocksDbException.ThrowIfError(err);
    }

    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
