namespace MiniKube.RocksDb;

/// <summary>
/// A cursor over one column family, optionally bounded and reading from a snapshot; created by
/// <see cref="RocksDatabase.NewIterator"/>.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: use an iterator from one thread at a time.</para>
/// <para>A new iterator is not positioned: seek first. After each seek or move, <see cref="Valid"/> says
/// whether it is on an entry. When it turns false, call <see cref="ThrowIfError"/> to tell the end of the
/// range from a failed read.</para>
/// <para>Without a snapshot the iterator still reads a consistent view: the state as of its creation.
/// It pins the memtables and files of that view until disposed, so long-lived iterators hold back space
/// reclamation. Disposing the database disposes its iterators.</para>
/// </remarks>
public sealed unsafe class RocksIterator : IDisposable
{
    private readonly RocksDatabase _owner;
    private readonly SafeIteratorHandle _handle;
    // Cached after every move so that Valid, Key and Value need no extra native call.
    private bool _valid;
    // Set by Dispose, which the database may call from another thread when it is disposed.
    private int _disposed;

    internal RocksIterator(RocksDatabase owner, SafeIteratorHandle handle)
    {
        _owner = owner;
        _handle = handle;
    }

    /// <summary>Whether the iterator is positioned on an entry.</summary>
    public bool Valid
    {
        get
        {
            ThrowIfDisposed();
            return _valid;
        }
    }

    public void SeekToFirst()
    {
        ThrowIfDisposed();
        NativeMethods.rocksdb_iter_seek_to_first(_handle);
        _valid = NativeMethods.rocksdb_iter_valid(_handle);
    }

    public void SeekToLast()
    {
        ThrowIfDisposed();
        NativeMethods.rocksdb_iter_seek_to_last(_handle);
        _valid = NativeMethods.rocksdb_iter_valid(_handle);
    }

    /// <summary>Positions on the first key at or after <paramref name="key"/>.</summary>
    public void Seek(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_iter_seek(_handle, k, (nuint)key.Length);
        }
        _valid = NativeMethods.rocksdb_iter_valid(_handle);
    }

    /// <summary>Positions on the last key at or before <paramref name="key"/>.</summary>
    public void SeekForPrev(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_iter_seek_for_prev(_handle, k, (nuint)key.Length);
        }
        _valid = NativeMethods.rocksdb_iter_valid(_handle);
    }

    /// <exception cref="InvalidOperationException">The iterator is not on an entry.</exception>
    public void Next()
    {
        ThrowIfNotValid();
        NativeMethods.rocksdb_iter_next(_handle);
        _valid = NativeMethods.rocksdb_iter_valid(_handle);
    }

    /// <exception cref="InvalidOperationException">The iterator is not on an entry.</exception>
    public void Prev()
    {
        ThrowIfNotValid();
        NativeMethods.rocksdb_iter_prev(_handle);
        _valid = NativeMethods.rocksdb_iter_valid(_handle);
    }

    /// <summary>
    /// The current key, as a view of RocksDB's memory: valid only until the next seek or move, or until the
    /// iterator or its database is disposed. Copy it (<see cref="KeyArray"/>) to keep it longer. Even with
    /// <c>pinData</c> this API promises nothing longer, since RocksDB pins only some keys.
    /// </summary>
    /// <exception cref="InvalidOperationException">The iterator is not on an entry.</exception>
    public ReadOnlySpan<byte> Key()
    {
        ThrowIfNotValid();
        nuint length;
        byte* key = NativeMethods.rocksdb_iter_key(_handle, &length);
        return new ReadOnlySpan<byte>(key, checked((int)length));
    }

    /// <summary>
    /// The current value, as a view of RocksDB's memory: valid only until the next seek or move, or until the
    /// iterator or its database is disposed. Copy it (<see cref="ValueArray"/>) to keep it longer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The iterator is not on an entry.</exception>
    public ReadOnlySpan<byte> Value()
    {
        ThrowIfNotValid();
        nuint length;
        byte* value = NativeMethods.rocksdb_iter_value(_handle, &length);
        return new ReadOnlySpan<byte>(value, checked((int)length));
    }

    /// <summary>A copy of the current key.</summary>
    public byte[] KeyArray() => Key().ToArray();

    /// <summary>A copy of the current value.</summary>
    public byte[] ValueArray() => Value().ToArray();

    /// <summary>Throws the error that made the iterator invalid, if any (I/O failure, corruption).</summary>
    public void ThrowIfError()
    {
        ThrowIfDisposed();
        nint err = 0;
        NativeMethods.rocksdb_iter_get_error(_handle, &err);
        RocksDbException.ThrowIfError(err);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _valid = false;
        _owner.Untrack(this);
        _handle.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void ThrowIfNotValid()
    {
        ThrowIfDisposed();
        if (!_valid)
            throw new InvalidOperationException("The iterator is not positioned on an entry.");
    }
}
