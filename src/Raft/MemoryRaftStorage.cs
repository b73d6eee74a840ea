using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// An in-memory <see cref="IRaftStorage"/>: used by tests, and the reference for what a durable
/// (RocksDB/WAL-backed) storage must do. Not thread-safe; the host calls it from its one loop.
/// </summary>
public sealed class MemoryRaftStorage : IRaftStorage
{
    private HardState _hardState = new();
    private Snapshot _snapshot = EmptySnapshot();

    // _entries[0] is a dummy that stands for the snapshot: its Index and Term are the
    // snapshot's, so Term(FirstIndex()-1) keeps working after compaction.
    private List<Entry> _entries = [new Entry()];

    public MemoryRaftStorage()
    {
    }

    /// <summary>
    /// A storage for a founding member of a new cluster whose configuration is
    /// <paramref name="initial"/>: it starts from a snapshot at index 1, term 1 holding that
    /// configuration (and a hard state committed to it). Members that join later start empty and
    /// get that configuration from a snapshot, since no entry before index 2 exists anywhere.
    /// </summary>
    public MemoryRaftStorage(ConfState initial)
    {
        _snapshot = new Snapshot
        {
            Metadata = new SnapshotMetadata { Index = 1, Term = 1, ConfState = initial.Clone() },
        };
        _entries = [new Entry { Index = 1, Term = 1 }];
        _hardState = new HardState { Term = 1, Commit = 1 };
    }

    /// <summary>
    /// A storage whose configuration is <paramref name="confState"/> at index 0, with no entry:
    /// the shape etcd's own tests start from. Members added later could not learn it from a
    /// snapshot, so real clusters use the public constructor.
    /// </summary>
    internal static MemoryRaftStorage WithConfState(ConfState confState)
    {
        var storage = new MemoryRaftStorage();
        storage._snapshot.Metadata.ConfState = confState.Clone();
        return storage;
    }

    public (HardState HardState, ConfState ConfState) InitialState() =>
        (_hardState.Clone(), _snapshot.Metadata.ConfState.Clone());

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxSize)
    {
        var offset = _entries[0].Index;
        if (lo <= offset)
        {
            throw new CompactedException();
        }
        if (hi > LastIndex() + 1)
        {
            throw new InvalidOperationException($"entries' hi({hi}) is out of bound lastindex({LastIndex()})");
        }
        if (_entries.Count == 1)
        {
            throw new LogUnavailableException();
        }
        var slice = _entries.GetRange((int)(lo - offset), (int)(hi - lo));
        return RaftLog.LimitSize(slice, maxSize);
    }

    public ulong Term(ulong index)
    {
        var offset = _entries[0].Index;
        if (index < offset)
        {
            throw new CompactedException();
        }
        if (index - offset >= (ulong)_entries.Count)
        {
            throw new LogUnavailableException();
        }
        return _entries[(int)(index - offset)].Term;
    }

    public ulong LastIndex() => _entries[0].Index + (ulong)_entries.Count - 1;

    public ulong FirstIndex() => _entries[0].Index + 1;

    public Snapshot Snapshot() => _snapshot;

    public HardState HardState => _hardState;

    public void SetHardState(HardState hardState) => _hardState = hardState.Clone();

    /// <summary>Replaces the whole contents with a snapshot (a follower receiving one from the leader).</summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        if (snapshot.Metadata.Index <= _snapshot.Metadata.Index)
        {
            throw new SnapshotOutOfDateException();
        }
        _snapshot = snapshot;
        _entries = [new Entry { Index = snapshot.Metadata.Index, Term = snapshot.Metadata.Term }];
    }

    /// <summary>
    /// Records a snapshot of the applied state at <paramref name="index"/> (which the host has
    /// applied) so that a later <see cref="Compact"/> can drop the entries before it.
    /// </summary>
    public Snapshot CreateSnapshot(ulong index, ConfState? confState, Google.Protobuf.ByteString data)
    {
        if (index <= _snapshot.Metadata.Index)
        {
            throw new SnapshotOutOfDateException();
        }
        if (index > LastIndex())
        {
            throw new InvalidOperationException($"snapshot {index} is out of bound lastindex({LastIndex()})");
        }
        var offset = _entries[0].Index;
        _snapshot = new Snapshot
        {
            Data = data,
            Metadata = new SnapshotMetadata
            {
                Index = index,
                Term = _entries[(int)(index - offset)].Term,
                ConfState = confState?.Clone() ?? _snapshot.Metadata.ConfState.Clone(),
            },
        };
        return _snapshot;
    }

    /// <summary>Drops the entries before <paramref name="compactIndex"/>, which becomes the new dummy.</summary>
    public void Compact(ulong compactIndex)
    {
        var offset = _entries[0].Index;
        if (compactIndex <= offset)
        {
            throw new CompactedException();
        }
        if (compactIndex > LastIndex())
        {
            throw new InvalidOperationException($"compact {compactIndex} is out of bound lastindex({LastIndex()})");
        }
        var i = (int)(compactIndex - offset);
        var kept = new List<Entry>(_entries.Count - i) { new() { Index = _entries[i].Index, Term = _entries[i].Term } };
        kept.AddRange(_entries.Skip(i + 1));
        _entries = kept;
    }

    /// <summary>
    /// Appends entries, replacing any existing entries from the first new index on (a follower's
    /// conflicting suffix). Entries already compacted are skipped.
    /// </summary>
    public void Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var first = FirstIndex();
        var last = entries[0].Index + (ulong)entries.Count - 1;
        if (last < first)
        {
            return;
        }
        IEnumerable<Entry> fresh = entries;
        if (first > entries[0].Index)
        {
            fresh = entries.Skip((int)(first - entries[0].Index));
        }
        var freshList = fresh.ToList();
        var offset = freshList[0].Index - _entries[0].Index;
        if ((ulong)_entries.Count > offset)
        {
            _entries.RemoveRange((int)offset, _entries.Count - (int)offset);
            _entries.AddRange(freshList);
        }
        else if ((ulong)_entries.Count == offset)
        {
            _entries.AddRange(freshList);
        }
        else
        {
            throw new InvalidOperationException(
                $"missing log entry [last: {LastIndex()}, append at: {freshList[0].Index}]");
        }
    }

    private static Snapshot EmptySnapshot() =>
        new() { Metadata = new SnapshotMetadata { ConfState = new ConfState() } };
}
