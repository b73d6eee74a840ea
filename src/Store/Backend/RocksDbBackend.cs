using MiniKube.RocksDb;

namespace MiniKube.Store.Backend;

/// <summary>
/// The production backend: one RocksDB database, a column family per <see cref="BackendTable"/>.
/// Writes go to RocksDB's write-ahead log unsynced; <see cref="Sync"/> fsyncs the log, which makes
/// every earlier write durable at once. RocksDB recovers the log to a consistent prefix of
/// whole batches after a crash (point-in-time recovery), so a transaction is all there or absent.
/// </summary>
public sealed class RocksDbBackend : IBackend
{
    private readonly RocksDatabase _db;
    private readonly ColumnFamily[] _families;
    private long _cachedSize = -1;
    private long _cachedSizeAt;

    private RocksDbBackend(RocksDatabase db)
    {
        _db = db;
        _families = [.. BackendTables.All.Select(t => db.GetColumnFamily(t.ColumnFamilyName()))];
    }

    public string Path => _db.Path;

    public static RocksDbBackend Open(string path, RocksDbOptions? options = null)
    {
        Directory.CreateDirectory(path);
        return new RocksDbBackend(RocksDatabase.Open(path, BackendTables.All.Select(t => t.ColumnFamilyName()), options));
    }

    public byte[]? Get(BackendTable table, ReadOnlySpan<byte> key) => _db.Get(Family(table), key);

    public IBackendIterator Iterate(BackendTable table, byte[]? lowerBound = null, byte[]? upperBound = null) =>
        new Iterator(_db.NewIterator(Family(table), lowerBound, upperBound));

    public IBackendView OpenView() => new View(this, _db.CreateSnapshot());

    public IBackendBatch CreateBatch() => new Batch(this);

    public void Write(IBackendBatch batch) => _db.Write(((Batch)batch).Native, sync: false);

    public void Sync() => _db.FlushWal(sync: true);

    public void Checkpoint(string directory) => _db.CreateCheckpoint(directory);

    /// <summary>Files and memory tables, refreshed at most once a second: quota checks ask on every write.</summary>
    public long SizeBytes
    {
        get
        {
            var now = Environment.TickCount64;
            if (_cachedSize < 0 || now - Volatile.Read(ref _cachedSizeAt) > 1000)
            {
                long size = 0;
                foreach (var family in _families)
                {
                    size += (_db.GetLongProperty("rocksdb.total-sst-files-size", family) ?? 0)
                        + (_db.GetLongProperty("rocksdb.cur-size-all-mem-tables", family) ?? 0);
                }

                Volatile.Write(ref _cachedSize, size);
                Volatile.Write(ref _cachedSizeAt, now);
            }

            return Volatile.Read(ref _cachedSize);
        }
    }

    public long SizeInUseBytes
    {
        get
        {
            long size = 0;
            foreach (var family in _families)
            {
                size += (_db.GetLongProperty("rocksdb.estimate-live-data-size", family) ?? 0)
                    + (_db.GetLongProperty("rocksdb.cur-size-all-mem-tables", family) ?? 0);
            }

            return Math.Min(size, SizeBytes);
        }
    }

    public void Defragment()
    {
        foreach (var family in _families)
        {
            _db.CompactRange(family);
        }

        Volatile.Write(ref _cachedSize, -1);
    }

    public void Dispose() => _db.Dispose();

    private ColumnFamily Family(BackendTable table) => _families[(int)table];

    private sealed class Batch(RocksDbBackend backend) : IBackendBatch
    {
        public RocksWriteBatch Native { get; } = new();

        public int Count => Native.Count;

        public void Put(BackendTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Native.Put(backend.Family(table), key, value);

        public void Delete(BackendTable table, ReadOnlySpan<byte> key) => Native.Delete(backend.Family(table), key);

        public void DeleteRange(BackendTable table, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) => Native.DeleteRange(backend.Family(table), start, end);

        public void SetSavePoint() => Native.SetSavePoint();

        public void RollbackToSavePoint() => Native.RollbackToSavePoint();

        public void PopSavePoint() => Native.PopSavePoint();

        public void Dispose() => Native.Dispose();
    }

    private sealed class View(RocksDbBackend backend, RocksSnapshot snapshot) : IBackendView
    {
        public byte[]? Get(BackendTable table, ReadOnlySpan<byte> key) => backend._db.Get(backend.Family(table), key, snapshot);

        public IBackendIterator Iterate(BackendTable table, byte[]? lowerBound = null, byte[]? upperBound = null) =>
            new Iterator(backend._db.NewIterator(backend.Family(table), lowerBound, upperBound, snapshot));

        public void Dispose() => snapshot.Dispose();
    }

    private sealed class Iterator(RocksIterator native) : IBackendIterator
    {
        public bool Valid
        {
            get
            {
                if (native.Valid)
                {
                    return true;
                }

                native.ThrowIfError(); // an iterator also stops on I/O errors: never mistake one for the end
                return false;
            }
        }

        public ReadOnlySpan<byte> Key => native.Key();

        public ReadOnlySpan<byte> Value => native.Value();

        public void Seek(ReadOnlySpan<byte> key) => native.Seek(key);

        public void SeekToFirst() => native.SeekToFirst();

        public void Next() => native.Next();

        public void Dispose() => native.Dispose();
    }
}
