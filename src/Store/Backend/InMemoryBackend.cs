using System.Collections.Immutable;

namespace MiniKube.Store.Backend;

/// <summary>
/// A backend held in memory, for tests. Every state is an immutable sorted list per table, so
/// views and iterators are free snapshots. It also models durability: <see cref="Sync"/> marks
/// the state that <see cref="CrashAndRecover"/> returns, which lets tests check that nothing
/// acknowledged is lost when a process dies between a write and its sync.
/// </summary>
public sealed class InMemoryBackend : IBackend
{
    private readonly Lock _lock = new();
    private ImmutableDictionary<BackendTable, ImmutableList<KeyValuePair<byte[], byte[]>>> _state;
    private ImmutableDictionary<BackendTable, ImmutableList<KeyValuePair<byte[], byte[]>>> _synced;
    private bool _disposed;

    public InMemoryBackend()
        : this(BackendTables.All.ToImmutableDictionary(t => t, _ => ImmutableList<KeyValuePair<byte[], byte[]>>.Empty))
    {
    }

    private InMemoryBackend(ImmutableDictionary<BackendTable, ImmutableList<KeyValuePair<byte[], byte[]>>> state)
    {
        _state = state;
        _synced = state;
    }

    /// <summary>Number of <see cref="Sync"/> calls, so tests can observe group commit.</summary>
    public int SyncCount { get; private set; }

    /// <summary>How long <see cref="Sync"/> takes, to model a disk's fsync latency.</summary>
    public TimeSpan SyncLatency { get; set; }

    /// <summary>A new backend holding only what was synced: what a restart after kill -9 would find.</summary>
    public InMemoryBackend CrashAndRecover()
    {
        lock (_lock)
        {
            return new InMemoryBackend(_synced);
        }
    }

    public byte[]? Get(BackendTable table, ReadOnlySpan<byte> key) => Find(Snapshot()[table], key);

    public IBackendIterator Iterate(BackendTable table, byte[]? lowerBound = null, byte[]? upperBound = null) =>
        new Iterator(Snapshot()[table], lowerBound, upperBound);

    public IBackendView OpenView() => new View(Snapshot());

    public IBackendBatch CreateBatch() => new Batch();

    public void Write(IBackendBatch batch)
    {
        var ops = ((Batch)batch).Operations;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var state = _state;
            foreach (var op in ops)
            {
                var list = state[op.Table];
                list = op.Kind switch
                {
                    OpKind.Put => Put(list, op.Key, op.Value!),
                    OpKind.Delete => Delete(list, op.Key),
                    _ => DeleteRange(list, op.Key, op.Value!),
                };
                state = state.SetItem(op.Table, list);
            }

            _state = state;
        }
    }

    public void Sync()
    {
        if (SyncLatency > TimeSpan.Zero)
        {
            Thread.Sleep(SyncLatency);
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _synced = _state;
            SyncCount++;
        }
    }

    public void Checkpoint(string directory) =>
        throw new NotSupportedException("the in-memory backend has no files to checkpoint");

    public long SizeBytes => SizeInUseBytes;

    public long SizeInUseBytes
    {
        get
        {
            long size = 0;
            foreach (var list in Snapshot().Values)
            {
                foreach (var e in list)
                {
                    size += e.Key.Length + e.Value.Length;
                }
            }

            return size;
        }
    }

    public void Defragment()
    {
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
    }

    private ImmutableDictionary<BackendTable, ImmutableList<KeyValuePair<byte[], byte[]>>> Snapshot()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _state;
        }
    }

    private static int LowerBound(ImmutableList<KeyValuePair<byte[], byte[]>> list, ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid].Key.AsSpan().SequenceCompareTo(key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static byte[]? Find(ImmutableList<KeyValuePair<byte[], byte[]>> list, ReadOnlySpan<byte> key)
    {
        var i = LowerBound(list, key);
        return i < list.Count && list[i].Key.AsSpan().SequenceEqual(key) ? list[i].Value : null;
    }

    private static ImmutableList<KeyValuePair<byte[], byte[]>> Put(ImmutableList<KeyValuePair<byte[], byte[]>> list, byte[] key, byte[] value)
    {
        var i = LowerBound(list, key);
        var entry = KeyValuePair.Create(key, value);
        return i < list.Count && list[i].Key.AsSpan().SequenceEqual(key) ? list.SetItem(i, entry) : list.Insert(i, entry);
    }

    private static ImmutableList<KeyValuePair<byte[], byte[]>> Delete(ImmutableList<KeyValuePair<byte[], byte[]>> list, byte[] key)
    {
        var i = LowerBound(list, key);
        return i < list.Count && list[i].Key.AsSpan().SequenceEqual(key) ? list.RemoveAt(i) : list;
    }

    private static ImmutableList<KeyValuePair<byte[], byte[]>> DeleteRange(ImmutableList<KeyValuePair<byte[], byte[]>> list, byte[] start, byte[] end)
    {
        var from = LowerBound(list, start);
        var to = LowerBound(list, end);
        return to > from ? list.RemoveRange(from, to - from) : list;
    }

    private enum OpKind
    {
        Put,
        Delete,
        DeleteRange,
    }

    private readonly record struct Op(OpKind Kind, BackendTable Table, byte[] Key, byte[]? Value);

    private sealed class Batch : IBackendBatch
    {
        private readonly Stack<int> _savePoints = new();

        public List<Op> Operations { get; } = [];

        public int Count => Operations.Count;

        public void Put(BackendTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            Operations.Add(new Op(OpKind.Put, table, key.ToArray(), value.ToArray()));

        public void Delete(BackendTable table, ReadOnlySpan<byte> key) =>
            Operations.Add(new Op(OpKind.Delete, table, key.ToArray(), null));

        public void DeleteRange(BackendTable table, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) =>
            Operations.Add(new Op(OpKind.DeleteRange, table, start.ToArray(), end.ToArray()));

        public void SetSavePoint() => _savePoints.Push(Operations.Count);

        public void RollbackToSavePoint()
        {
            var count = _savePoints.TryPop(out var saved) ? saved : throw new InvalidOperationException("no save point");
            Operations.RemoveRange(count, Operations.Count - count);
        }

        public void PopSavePoint()
        {
            if (!_savePoints.TryPop(out _))
            {
                throw new InvalidOperationException("no save point");
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class View(ImmutableDictionary<BackendTable, ImmutableList<KeyValuePair<byte[], byte[]>>> state) : IBackendView
    {
        public byte[]? Get(BackendTable table, ReadOnlySpan<byte> key) => Find(state[table], key);

        public IBackendIterator Iterate(BackendTable table, byte[]? lowerBound = null, byte[]? upperBound = null) =>
            new Iterator(state[table], lowerBound, upperBound);

        public void Dispose()
        {
        }
    }

    private sealed class Iterator(ImmutableList<KeyValuePair<byte[], byte[]>> list, byte[]? lowerBound, byte[]? upperBound) : IBackendIterator
    {
        private int _index = int.MaxValue;

        public bool Valid => _index < list.Count && (upperBound is null || list[_index].Key.AsSpan().SequenceCompareTo(upperBound) < 0);

        public ReadOnlySpan<byte> Key => Current.Key;

        public ReadOnlySpan<byte> Value => Current.Value;

        private KeyValuePair<byte[], byte[]> Current =>
            Valid ? list[_index] : throw new InvalidOperationException("the iterator is not positioned on an entry");

        public void Seek(ReadOnlySpan<byte> key)
        {
            _index = lowerBound is not null && key.SequenceCompareTo(lowerBound) < 0
                ? LowerBound(list, lowerBound)
                : LowerBound(list, key);
        }

        public void SeekToFirst() => _index = lowerBound is null ? 0 : LowerBound(list, lowerBound);

        public void Next()
        {
            if (_index < list.Count)
            {
                _index++;
            }
        }

        public void Dispose()
        {
        }
    }
}
