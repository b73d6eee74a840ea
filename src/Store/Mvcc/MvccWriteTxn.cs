using Google.Protobuf;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

/// <summary>
/// One write transaction: every change it makes gets the same main revision (one past the
/// revision it began at) and its own sub revision, and all of them reach the backend in one
/// atomic batch on <see cref="Commit"/>. A transaction that changes nothing takes no revision.
/// </summary>
/// <remarks>
/// Reads of the latest state inside the transaction see its own earlier changes, as in etcd:
/// they go through <c>_pending</c>, the keys this transaction changed. In a write group (see
/// <see cref="MvccStore.BeginGroup"/>) they also see the group's committed transactions, and the
/// transaction writes into the group's batch behind a save point instead of a batch of its own.
/// Writer thread only.
/// </remarks>
public sealed class MvccWriteTxn : IKvView, IDisposable
{
    private readonly MvccStore _store;
    private readonly IBackend _backend;
    private readonly IBackendBatch _batch;
    private readonly List<Mvccpb.Event> _changes = [];
    private readonly SortedDictionary<byte[], Mvccpb.KeyValue?> _pending = new(ByteArrayComparer.Instance);
    private readonly MvccStore.WriteGroup? _group;
    private bool _committed;

    private readonly long _index;

    internal MvccWriteTxn(MvccStore store, IBackend backend, long beginRevision, long index)
    {
        _index = index;
        _store = store;
        _backend = backend;
        _group = store.Group;
        if (_group is null)
        {
            _batch = backend.CreateBatch();
        }
        else
        {
            _batch = _group.Batch;
            _batch.SetSavePoint();
        }

        BeginRevision = beginRevision;
    }

    /// <summary>The store's revision when the transaction began.</summary>
    public long BeginRevision { get; }

    /// <summary>The transaction's revision: one past <see cref="BeginRevision"/> once it changed something.</summary>
    public long Revision => _changes.Count > 0 ? BeginRevision + 1 : BeginRevision;

    public long CompactRevision => _store.CompactRevision;

    /// <summary>The events this transaction produced, in order; each carries the previous key-value.</summary>
    public IReadOnlyList<Mvccpb.Event> Changes => _changes;

    /// <summary>The batch the transaction commits, for writes that ride along with it (leases, marks).</summary>
    public IBackendBatch Batch => _batch;

    /// <summary>
    /// Reads a range. At revision 0 it reads the latest state including this transaction's
    /// changes; at an explicit revision, history as of then.
    /// </summary>
    public RangeResult Range(KeyRange range, RangeOptions options, bool keysOnly = false)
    {
        var current = Revision;
        var collector = new RangeCollector(options, keysOnly);
        if (options.Revision > 0)
        {
            var atRevision = MvccStore.ResolveReadRevision(options.Revision, current);
            if (_group is not null && atRevision > _group.BaseRevision)
            {
                // The group's history is not in the backend yet: the reader would miss it.
                throw new InvalidOperationException($"a grouped write read history at revision {atRevision}, past its group's {_group.BaseRevision}");
            }

            if (atRevision < _store.CompactRevision)
            {
                throw new MvccException(MvccError.Compacted);
            }

            VersionScanner.Scan(_backend, range, atRevision, collector.Visit);
        }
        else
        {
            foreach (var kv in Latest(range))
            {
                collector.Add(kv);
            }
        }

        return new RangeResult(collector.KeyValues, collector.Count, current);
    }

    /// <summary>The latest live version of <paramref name="key"/>, including this transaction's changes.</summary>
    public Mvccpb.KeyValue? Get(byte[] key) =>
        _pending.TryGetValue(key, out var pending) ? pending
        : _group is not null && _group.Latest.TryGetValue(key, out var grouped) ? grouped
        : VersionScanner.Get(_backend, key, long.MaxValue);

    /// <summary>Writes a new version of <paramref name="key"/>; returns it.</summary>
    public Mvccpb.KeyValue Put(byte[] key, ByteString value, long lease)
    {
        var previous = Get(key);
        var revision = BeginRevision + 1;
        var kv = new Mvccpb.KeyValue
        {
            Key = UnsafeByteOperations.UnsafeWrap(key),
            Value = value,
            CreateRevision = previous?.CreateRevision ?? revision,
            ModRevision = revision,
            Version = (previous?.Version ?? 0) + 1,
            Lease = lease,
        };
        _batch.Put(BackendTable.Keys, KeyEncoding.VersionKey(key, revision), VersionRecord.Encode(kv.CreateRevision, kv.Version, lease, value.Span));
        Record(Mvccpb.Event.Types.EventType.Put, kv, previous);
        return kv;
    }

    /// <summary>Deletes every live key in <paramref name="range"/>; returns what was deleted.</summary>
    public List<Mvccpb.KeyValue> DeleteRange(KeyRange range)
    {
        var deleted = Latest(range);
        var revision = BeginRevision + 1;
        foreach (var previous in deleted)
        {
            var key = previous.Key.ToByteArray();
            _batch.Put(BackendTable.Keys, KeyEncoding.VersionKey(key, revision), VersionRecord.Tombstone);
            var tombstone = new Mvccpb.KeyValue { Key = previous.Key, ModRevision = revision };
            Record(Mvccpb.Event.Types.EventType.Delete, tombstone, previous);
        }

        return deleted;
    }

    /// <summary>Writes the batch (unsynced) and advances the writer's revision if anything changed.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _committed = true;
        if (_group is not null)
        {
            // The group writes the revision and applied index once, with everything, on its commit.
            _batch.PopSavePoint();
            foreach (var (key, kv) in _pending)
            {
                _group.Latest[key] = kv;
            }

            _store.Committed(Revision, _index);
            return;
        }

        if (_changes.Count > 0)
        {
            MetaKeys.WriteLong(_batch, MetaKeys.Revision, Revision);
        }

        if (_batch.Count > 0)
        {
            MetaKeys.WriteLong(_batch, MetaKeys.AppliedIndex, _index);
            _store.WriteTimed(_batch);
        }

        _store.Committed(Revision, _index);
    }

    public void Dispose()
    {
        if (_group is null)
        {
            _batch.Dispose();
        }
        else if (!_committed)
        {
            _batch.RollbackToSavePoint(); // failed: leave the group's batch as it was
            _committed = true;
        }
    }

    private void Record(Mvccpb.Event.Types.EventType type, Mvccpb.KeyValue kv, Mvccpb.KeyValue? previous)
    {
        var sub = _changes.Count;
        _batch.Put(BackendTable.History, KeyEncoding.HistoryKey(new Revision(BeginRevision + 1, sub)), HistoryRecord.Encode(type, kv.Key.Span));
        _changes.Add(new Mvccpb.Event { Type = type, Kv = kv, PrevKv = previous });
        _pending[kv.Key.ToByteArray()] = type == Mvccpb.Event.Types.EventType.Put ? kv : null;
    }

    /// <summary>The latest live key-values in <paramref name="range"/>, in key order, this transaction's changes applied.</summary>
    private List<Mvccpb.KeyValue> Latest(KeyRange range)
    {
        var result = new List<Mvccpb.KeyValue>();
        VersionScanner.Scan(_backend, range, long.MaxValue, (key, record) =>
        {
            result.Add(VersionScanner.ToKeyValue(key, record, keysOnly: false));
            return true;
        });
        if (_pending.Count == 0 && (_group is null || _group.Latest.Count == 0))
        {
            return result;
        }

        var merged = new SortedDictionary<byte[], Mvccpb.KeyValue>(ByteArrayComparer.Instance);
        foreach (var kv in result)
        {
            merged[kv.Key.ToByteArray()] = kv;
        }

        if (_group is not null)
        {
            Overlay(merged, _group.Latest, range);
        }

        Overlay(merged, _pending, range);
        return [.. merged.Values];
    }

    /// <summary>Lays newer versions (null: deleted) of keys in <paramref name="range"/> over <paramref name="merged"/>.</summary>
    private static void Overlay(SortedDictionary<byte[], Mvccpb.KeyValue> merged, SortedDictionary<byte[], Mvccpb.KeyValue?> newer, KeyRange range)
    {
        if (range.IsSingleKey)
        {
            // The common case, and a group may hold many keys: look up rather than walk them all.
            if (newer.TryGetValue(range.Key, out var single))
            {
                Lay(merged, range.Key, single);
            }

            return;
        }

        foreach (var (key, kv) in newer)
        {
            if (range.Contains(key))
            {
                Lay(merged, key, kv);
            }
        }
    }

    private static void Lay(SortedDictionary<byte[], Mvccpb.KeyValue> merged, byte[] key, Mvccpb.KeyValue? kv)
    {
        if (kv is null)
        {
            merged.Remove(key);
        }
        else
        {
            merged[key] = kv;
        }
    }
}
