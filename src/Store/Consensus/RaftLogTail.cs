using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus;

/// <summary>
/// The newest entries of the Raft log, kept in memory beside the backend, so that the reads Raft
/// makes for every message (the term of the entry before an append, both when sending and when
/// receiving one, and the entries to send and then to apply) need no backend lookup and parse.
/// etcd answers them from its raft MemoryStorage, which holds the whole log since the last
/// snapshot; this holds a bounded tail, and older entries are read from the backend.
/// </summary>
/// <remarks>
/// The entries are contiguous, and the last one is always the log's last entry (the storage tells
/// the tail of every change). Appending at or below <see cref="Last"/> replaces the suffix from
/// there (a follower's conflicting entries). The oldest entries are dropped once the tail holds
/// more than its entry or byte budget. Not thread-safe: the storage's one caller owns it.
/// </remarks>
internal sealed class RaftLogTail(int maxEntries, long maxBytes)
{
    private readonly List<(Entry Entry, int Size)> _entries = [];
    private int _start;
    private long _bytes;

    public int Count => _entries.Count - _start;

    /// <summary>The index of the oldest entry held; meaningless when <see cref="Count"/> is 0.</summary>
    public ulong First => _entries[_start].Entry.Index;

    /// <summary>The index of the newest entry held; meaningless when <see cref="Count"/> is 0.</summary>
    public ulong Last => _entries[^1].Entry.Index;

    public long Bytes => _bytes;

    public bool TryGetTerm(ulong index, out ulong term)
    {
        if (Holds(index, index + 1))
        {
            term = _entries[Position(index)].Entry.Term;
            return true;
        }

        term = 0;
        return false;
    }

    /// <summary>
    /// Entries [<paramref name="lo"/>, <paramref name="hi"/>) up to <paramref name="maxSize"/> bytes
    /// (at least one), as <see cref="Raft.IRaftStorage.Entries"/> answers, when the tail holds them all.
    /// </summary>
    public bool TrySlice(ulong lo, ulong hi, ulong maxSize, out List<Entry> entries)
    {
        if (!Holds(lo, hi))
        {
            entries = [];
            return false;
        }

        entries = new List<Entry>((int)(hi - lo));
        ulong size = 0;
        for (int position = Position(lo), end = Position(hi - 1); position <= end; position++)
        {
            var (entry, entrySize) = _entries[position];
            size += (ulong)entrySize;
            if (entries.Count > 0 && size > maxSize)
            {
                break;
            }

            entries.Add(entry);
        }

        return true;
    }

    /// <summary>Records entries just written to the log, in order, replacing any held from the first one's index on.</summary>
    public void Append(IReadOnlyList<Entry> entries, int from)
    {
        if (from >= entries.Count)
        {
            return;
        }

        var first = entries[from].Index;
        if (Count > 0 && (first <= First || first > Last + 1))
        {
            Clear();
        }
        else if (Count > 0 && first <= Last)
        {
            var position = Position(first);
            for (var i = position; i < _entries.Count; i++)
            {
                _bytes -= _entries[i].Size;
            }

            _entries.RemoveRange(position, _entries.Count - position);
        }

        for (var i = from; i < entries.Count; i++)
        {
            var size = entries[i].CalculateSize();
            _entries.Add((entries[i], size));
            _bytes += size;
        }

        while (Count > 0 && (Count > maxEntries || _bytes > maxBytes))
        {
            DropOldest();
        }
    }

    /// <summary>Forgets the entries up to and including <paramref name="index"/> (compacted away).</summary>
    public void DropThrough(ulong index)
    {
        while (Count > 0 && First <= index)
        {
            DropOldest();
        }
    }

    /// <summary>Forgets every entry (the log was replaced by a snapshot).</summary>
    public void Clear()
    {
        _entries.Clear();
        _start = 0;
        _bytes = 0;
    }

    private bool Holds(ulong lo, ulong hi) => Count > 0 && lo < hi && lo >= First && hi - 1 <= Last;

    private int Position(ulong index) => _start + (int)(index - First);

    private void DropOldest()
    {
        _bytes -= _entries[_start].Size;
        _entries[_start] = default;
        _start++;
        if (_start == _entries.Count)
        {
            Clear();
        }
        else if (_start >= 1024 && _start >= _entries.Count / 2)
        {
            // Dropped slots are reclaimed in bulk, so dropping stays O(1) per entry over time.
            _entries.RemoveRange(0, _start);
            _start = 0;
        }
    }
}
