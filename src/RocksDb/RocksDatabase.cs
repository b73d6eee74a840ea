using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// An open RocksDB database and its column families: a thin binding of RocksDB's C API.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> The database owns its <see cref="ColumnFamily"/> objects: callers never dispose
/// them, and they die with the database. Iterators, snapshots and write batches belong to whoever created
/// them, who disposes them; iterators and snapshots still open when the database is disposed are disposed
/// with it, so forgetting one cannot keep the database (and its lock file) open.</para>
/// <para><b>Order of destruction.</b> <see cref="Dispose"/> destroys open iterators (each before its read
/// options, which are destroyed before the native buffer holding their bounds), then releases open
/// snapshots, then destroys the column family handles, and closes the database last. Every native object
/// also holds a reference on the native objects it points into, so this order holds even when a call on
/// another thread races with <see cref="Dispose"/> or when the finalizer cleans up: the racing call finishes
/// against live objects, and the close happens when it returns.</para>
/// <para><b>Use after dispose.</b> Every member of a disposed database (but <see cref="Path"/>), iterator,
/// snapshot or batch throws <see cref="ObjectDisposedException"/>, as does every operation on a column family
/// of a disposed database. Spans returned by <see cref="RocksIterator.Key"/> and
/// <see cref="RocksIterator.Value"/> are the exception: they are views of native memory and must not be read
/// after the iterator moves or is disposed.</para>
/// <para><b>Threads.</b> All members may be called concurrently, as RocksDB's own database object allows.
/// Snapshots may be shared between threads; iterators and write batches may not.</para>
/// <para><b>Keys and values</b> are arbitrary bytes ordered bytewise. Spans passed in are read during the
/// call only; RocksDB copies what it keeps.</para>
/// </remarks>
public sealed unsafe class RocksDatabase : IDisposable
{
    /// <summary>The column family every RocksDB database has, and that is always opened.</summary>
    public const string DefaultColumnFamilyName = "default";

    private readonly SafeDbHandle _db;
    private readonly ColumnFamily[] _columnFamilies;
    private readonly Dictionary<string, ColumnFamily> _columnFamiliesByName;
    // Shared by all threads: RocksDB only reads options during a call.
    private readonly SafeReadOptionsHandle _readOptions;
    private readonly SafeWriteOptionsHandle _writeOptions;
    private readonly SafeWriteOptionsHandle _syncWriteOptions;
    // Open iterators and snapshots, weakly, so that Dispose can close them without keeping forgotten ones alive.
    private readonly ConditionalWeakTable<IDisposable, object?> _dependents = new();
    private int _disposed;

    private RocksDatabase(
        string path,
        SafeDbHandle db,
        string[] names,
        nint[] columnFamilyHandles,
        SafeReadOptionsHandle readOptions,
        SafeWriteOptionsHandle writeOptions,
        SafeWriteOptionsHandle syncWriteOptions)
    {
        Path = path;
        _db = db;
        _readOptions = readOptions;
        _writeOptions = writeOptions;
        _syncWriteOptions = syncWriteOptions;
        _columnFamilies = new ColumnFamily[names.Length];
        _columnFamiliesByName = new Dictionary<string, ColumnFamily>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            var cf = new ColumnFamily(this, names[i], SafeColumnFamilyHandle.Adopt(db, columnFamilyHandles[i]));
            _columnFamilies[i] = cf;
            _columnFamiliesByName.Add(cf.Name, cf);
        }
        DefaultColumnFamily = _columnFamiliesByName[DefaultColumnFamilyName];
    }

    /// <summary>The absolute path of the database directory; still readable after dispose, for messages.</summary>
    public string Path { get; }

    public ColumnFamily DefaultColumnFamily
    {
        get
        {
            ThrowIfDisposed();
            return field;
        }
    }

    /// <summary>The opened column families, <see cref="DefaultColumnFamilyName"/> first.</summary>
    public IReadOnlyList<ColumnFamily> ColumnFamilies
    {
        get
        {
            ThrowIfDisposed();
            return _columnFamilies;
        }
    }

    /// <summary>
    /// Opens (by default creating) the database at <paramref name="path"/> with the given column families.
    /// </summary>
    /// <param name="columnFamilies">
    /// Families to open besides <see cref="DefaultColumnFamilyName"/>, which is always opened. Missing ones are
    /// created when <see cref="RocksDbOptions.CreateMissingColumnFamilies"/> is set. RocksDB refuses to open a
    /// database without naming every family it has (see <see cref="ListColumnFamilies"/>).
    /// </param>
    /// <exception cref="RocksDbException">RocksDB failed to open it: locked by another instance, a family not
    /// listed, corruption, and so on.</exception>
    public static RocksDatabase Open(string path, IEnumerable<string> columnFamilies, RocksDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columnFamilies);
        options ??= new RocksDbOptions();

        var nameList = new List<string> { DefaultColumnFamilyName };
        foreach (string name in columnFamilies)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(columnFamilies));
            if (!nameList.Contains(name))
                nameList.Add(name);
        }
        string[] names = [.. nameList];
        string fullPath = System.IO.Path.GetFullPath(path);

        using SafeOptionsHandle nativeOptions = options.CreateNative();
        if (options.CreateIfMissing)
        {
            // RocksDB creates only the last component of the path.
            Directory.CreateDirectory(fullPath);
        }

        // Created before the open so that nothing can fail between a successful open and wrapping the result.
        SafeReadOptionsHandle? readOptions = null;
        SafeWriteOptionsHandle? writeOptions = null;
        SafeWriteOptionsHandle? syncWriteOptions = null;
        try
        {
            readOptions = SafeReadOptionsHandle.Create();
            writeOptions = SafeWriteOptionsHandle.Create(sync: false);
            syncWriteOptions = SafeWriteOptionsHandle.Create(sync: true);

            // Every family gets the same options, and so shares one table factory and block cache.
            var familyOptions = new nint[names.Length];
            Array.Fill(familyOptions, nativeOptions.DangerousGetHandle());
            var familyHandles = new nint[names.Length];
            nint err = 0;
            nint db;
            fixed (nint* familyOptionsPtr = familyOptions)
            fixed (nint* familyHandlesPtr = familyHandles)
            {
                db = NativeMethods.rocksdb_open_column_families(
                    nativeOptions, fullPath, names.Length, names, familyOptionsPtr, familyHandlesPtr, &err);
            }
            RocksDbException.ThrowIfError(err);
            if (db == 0)
                throw new RocksDbException("rocksdb_open_column_families returned null.");

            return new RocksDatabase(fullPath, new SafeDbHandle(db), names, familyHandles, readOptions, writeOptions, syncWriteOptions);
        }
        catch
        {
            readOptions?.Dispose();
            writeOptions?.Dispose();
            syncWriteOptions?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The column families of the database at <paramref name="path"/>, or an empty list when there is no
    /// database there.
    /// </summary>
    public static IReadOnlyList<string> ListColumnFamilies(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        // RocksDB reports a missing database as an I/O error; CURRENT is the file that makes a directory one.
        if (!File.Exists(System.IO.Path.Combine(fullPath, "CURRENT")))
            return [];

        using SafeOptionsHandle options = SafeOptionsHandle.Create();
        nuint count;
        nint err = 0;
        nint list = NativeMethods.rocksdb_list_column_families(options, fullPath, &count, &err);
        RocksDbException.ThrowIfError(err);
        try
        {
            var names = new string[checked((int)count)];
            for (int i = 0; i < names.Length; i++)
                names[i] = Marshal.PtrToStringUTF8(((nint*)list)[i])!;
            return names;
        }
        finally
        {
            NativeMethods.rocksdb_list_column_families_destroy(list, count);
        }
    }

    /// <exception cref="KeyNotFoundException">No family of that name was opened.</exception>
    public ColumnFamily GetColumnFamily(string name)
    {
        ThrowIfDisposed();
        return _columnFamiliesByName.TryGetValue(name, out ColumnFamily? cf)
            ? cf
            : throw new KeyNotFoundException($"Column family '{name}' is not open in {Path}.");
    }

    /// <summary>Reads a value, or returns null when the key is absent.</summary>
    /// <param name="snapshot">Read as of this snapshot rather than the latest state.</param>
    public byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key, RocksSnapshot? snapshot = null)
    {
        ThrowIfDisposed();
        CheckOwned(cf);
        SafeReadOptionsHandle readOptions = ReadOptionsFor(snapshot);

        // The pinned slice may point into a memtable or the block cache, both freed by closing the db, so the
        // db must stay open until the slice is destroyed, not just during the lookup.
        bool added = false;
        _db.DangerousAddRef(ref added);
        try
        {
            nint err = 0;
            nint slice;
            fixed (byte* k = key)
            {
                slice = NativeMethods.rocksdb_get_pinned_cf(_db, readOptions, cf.Handle, k, (nuint)key.Length, &err);
            }
            RocksDbException.ThrowIfError(err);
            if (slice == 0)
                return null;
            try
            {
                nuint length;
                byte* value = NativeMethods.rocksdb_pinnableslice_value(slice, &length);
                return new ReadOnlySpan<byte>(value, checked((int)length)).ToArray();
            }
            finally
            {
                NativeMethods.rocksdb_pinnableslice_destroy(slice);
            }
        }
        finally
        {
            if (added)
                _db.DangerousRelease();
        }
    }

    /// <summary>
    /// A cheap check that never reads from disk: false means the key is certainly absent; true means it may
    /// exist (memtables, block cache and bloom filters could not rule it out).
    /// </summary>
    public bool KeyMayExist(ColumnFamily cf, ReadOnlySpan<byte> key, RocksSnapshot? snapshot = null)
    {
        ThrowIfDisposed();
        CheckOwned(cf);
        SafeReadOptionsHandle readOptions = ReadOptionsFor(snapshot);
        fixed (byte* k = key)
        {
            return NativeMethods.rocksdb_key_may_exist_cf(
                _db, readOptions, cf.Handle, k, (nuint)key.Length, null, null, null, 0, null);
        }
    }

    /// <param name="sync">Fsync the WAL before returning, so the write survives a machine crash; otherwise it
    /// survives a process crash only.</param>
    public void Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false)
    {
        ThrowIfDisposed();
        CheckOwned(cf);
        nint err = 0;
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            NativeMethods.rocksdb_put_cf(
                _db, sync ? _syncWriteOptions : _writeOptions, cf.Handle, k, (nuint)key.Length, v, (nuint)value.Length, &err);
        }
        RocksDbException.ThrowIfError(err);
    }

    /// <param name="sync">Fsync the WAL before returning.</param>
    public void Delete(ColumnFamily cf, ReadOnlySpan<byte> key, bool sync = false)
    {
        ThrowIfDisposed();
        CheckOwned(cf);
        nint err = 0;
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_delete_cf(_db, sync ? _syncWriteOptions : _writeOptions, cf.Handle, k, (nuint)key.Length, &err);
        }
        RocksDbException.ThrowIfError(err);
    }

    /// <summary>Applies a batch atomically.</summary>
    /// <param name="sync">Fsync the WAL before returning, so the batch survives a machine crash.</param>
    public void Write(RocksWriteBatch batch, bool sync)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(batch);
        nint err = 0;
        NativeMethods.rocksdb_write(_db, sync ? _syncWriteOptions : _writeOptions, batch.Handle, &err);
        RocksDbException.ThrowIfError(err);
    }

    /// <summary>
    /// Writes buffered WAL data to the file and, with <paramref name="sync"/>, fsyncs it: makes earlier
    /// writes made without <c>sync</c> durable, so many cheap writes can share one fsync.
    /// </summary>
    public void FlushWal(bool sync)
    {
        ThrowIfDisposed();
        nint err = 0;
        NativeMethods.rocksdb_flush_wal(_db, sync, &err);
        RocksDbException.ThrowIfError(err);
    }

    /// <summary>Flushes the memtables of every column family to SST files and waits for it.</summary>
    public void Flush()
    {
        ThrowIfDisposed();
        using SafeFlushOptionsHandle options = SafeFlushOptionsHandle.Create(wait: true);
        foreach (ColumnFamily cf in _columnFamilies)
        {
            nint err = 0;
            NativeMethods.rocksdb_flush_cf(_db, options, cf.Handle, &err);
            RocksDbException.ThrowIfError(err);
        }
    }

    /// <summary>Creates an iterator over <paramref name="cf"/>; the caller disposes it.</summary>
    /// <param name="lowerBound">Inclusive lower bound, or null for none. Copied.</param>
    /// <param name="upperBound">Exclusive upper bound, or null for none. Copied.</param>
    /// <param name="snapshot">Read as of this snapshot rather than as of the iterator's creation.</param>
    /// <param name="pinData">Keep the blocks the iterator reads pinned until it is disposed, which spares
    /// RocksDB copying keys; it costs memory for long scans.</param>
    /// <param name="fillCache">Add blocks read to the block cache; false suits one-off scans.</param>
    public RocksIterator NewIterator(
        ColumnFamily cf,
        byte[]? lowerBound = null,
        byte[]? upperBound = null,
        RocksSnapshot? snapshot = null,
        bool pinData = false,
        bool fillCache = true)
    {
        ThrowIfDisposed();
        CheckOwned(cf);
        if (snapshot is not null)
            CheckOwned(snapshot);

        SafeReadOptionsHandle readOptions = SafeReadOptionsHandle.Create(snapshot?.Handle);
        try
        {
            readOptions.SetIterateBounds(lowerBound, upperBound);
            NativeMethods.rocksdb_readoptions_set_pin_data(readOptions, pinData);
            NativeMethods.rocksdb_readoptions_set_fill_cache(readOptions, fillCache);
            var iterator = new RocksIterator(this, SafeIteratorHandle.Create(_db, cf.Handle, readOptions));
            Track(iterator);
            return iterator;
        }
        finally
        {
            // The iterator holds its own reference on its read options; dropping ours makes it the last one.
            readOptions.Dispose();
        }
    }

    /// <summary>Takes a snapshot of the current state; the caller disposes it.</summary>
    public RocksSnapshot CreateSnapshot()
    {
        ThrowIfDisposed();
        SafeSnapshotHandle handle = SafeSnapshotHandle.Create(_db);
        SafeReadOptionsHandle readOptions;
        try
        {
            readOptions = SafeReadOptionsHandle.Create(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        var snapshot = new RocksSnapshot(this, handle, readOptions);
        Track(snapshot);
        return snapshot;
    }

    /// <summary>
    /// Writes an openable copy of the database to <paramref name="directory"/>, hard-linking SST files where
    /// the file system allows.
    /// </summary>
    /// <param name="directory">Must not exist yet; its parent must.</param>
    /// <param name="logSizeForFlush">With 0, memtables are always flushed first; otherwise only when the WAL
    /// is at least this large, and the WAL is copied instead.</param>
    public void CreateCheckpoint(string directory, ulong logSizeForFlush = 0)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using SafeCheckpointHandle checkpoint = SafeCheckpointHandle.Create(_db);
        nint err = 0;
        NativeMethods.rocksdb_checkpoint_create(checkpoint, System.IO.Path.GetFullPath(directory), logSizeForFlush, &err);
        RocksDbException.ThrowIfError(err);
    }

    /// <summary>A RocksDB property such as <c>"rocksdb.stats"</c>, or null when the name is unknown.</summary>
    /// <param name="cf">The family to ask; null asks the default family, which also serves the db-wide
    /// properties.</param>
    public string? GetProperty(string name, ColumnFamily? cf = null)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(name);
        nint value;
        if (cf is null)
        {
            value = NativeMethods.rocksdb_property_value(_db, name);
        }
        else
        {
            CheckOwned(cf);
            value = NativeMethods.rocksdb_property_value_cf(_db, cf.Handle, name);
        }
        if (value == 0)
            return null;
        try
        {
            return Marshal.PtrToStringUTF8(value);
        }
        finally
        {
            NativeMethods.rocksdb_free(value);
        }
    }

    /// <summary>
    /// An integer RocksDB property such as <c>"rocksdb.estimate-num-keys"</c> or
    /// <c>"rocksdb.total-sst-files-size"</c>, or null when the name is unknown or not an integer property.
    /// RocksDB's "none" marker (UINT64_MAX) reads as <see cref="long.MaxValue"/>.
    /// </summary>
    /// <param name="cf">The family to ask; null asks the default family.</param>
    public long? GetLongProperty(string name, ColumnFamily? cf = null)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(name);
        ulong value;
        int status;
        if (cf is null)
        {
            status = NativeMethods.rocksdb_property_int(_db, name, &value);
        }
        else
        {
            CheckOwned(cf);
            status = NativeMethods.rocksdb_property_int_cf(_db, cf.Handle, name, &value);
        }
        if (status != 0)
            return null;
        return value > long.MaxValue ? long.MaxValue : (long)value;
    }

    /// <summary>
    /// Compacts the keys in [<paramref name="start"/>, <paramref name="limit"/>] of <paramref name="cf"/>
    /// (null meaning unbounded) and waits for it: drops deleted and overwritten versions no snapshot can see.
    /// </summary>
    /// <remarks>The C API does not report compaction errors; RocksDB surfaces them on later writes.</remarks>
    public void CompactRange(ColumnFamily cf, byte[]? start = null, byte[]? limit = null)
    {
        ThrowIfDisposed();
        CheckOwned(cf);
        // Nothing sorts before the empty key, and `fixed` turns an empty array into the null pointer that
        // the C API reads as "unbounded".
        if (limit is { Length: 0 })
            return;
        fixed (byte* s = start)
        fixed (byte* l = limit)
        {
            NativeMethods.rocksdb_compact_range_cf(
                _db, cf.Handle, s, (nuint)(start?.Length ?? 0), l, (nuint)(limit?.Length ?? 0));
        }
    }

    /// <summary>
    /// Disposes open iterators and snapshots, destroys the column family handles and closes the database.
    /// Idempotent; every later call on the database throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        var open = new List<IDisposable>();
        foreach (KeyValuePair<IDisposable, object?> entry in _dependents)
            open.Add(entry.Key);
        // Iterators first: one may read from a snapshot (it holds a reference either way).
        foreach (IDisposable dependent in open)
        {
            if (dependent is RocksIterator)
                dependent.Dispose();
        }
        foreach (IDisposable dependent in open)
            dependent.Dispose();

        foreach (ColumnFamily cf in _columnFamilies)
            cf.Handle.Dispose();
        _readOptions.Dispose();
        _writeOptions.Dispose();
        _syncWriteOptions.Dispose();
        _db.Dispose();
    }

    internal void Track(IDisposable dependent) => _dependents.AddOrUpdate(dependent, null);

    internal void Untrack(IDisposable dependent) => _dependents.Remove(dependent);

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckOwned(ColumnFamily cf)
    {
        ArgumentNullException.ThrowIfNull(cf);
        if (!ReferenceEquals(cf.Owner, this))
            ThrowForeign(nameof(cf), $"Column family '{cf.Name}' belongs to another database.");
    }

    private void CheckOwned(RocksSnapshot snapshot)
    {
        if (!ReferenceEquals(snapshot.Owner, this))
            ThrowForeign(nameof(snapshot), "The snapshot belongs to another database.");
        snapshot.ThrowIfDisposed();
    }

    private SafeReadOptionsHandle ReadOptionsFor(RocksSnapshot? snapshot)
    {
        if (snapshot is null)
            return _readOptions;
        CheckOwned(snapshot);
        return snapshot.ReadOptions;
    }

    [DoesNotReturn]
    private static void ThrowForeign(string parameter, string message) => throw new ArgumentException(message, parameter);
}
