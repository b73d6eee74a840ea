using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// The whole log as the core sees it: the persisted part in <see cref="IRaftStorage"/> followed by
/// the <see cref="Unstable"/> tail (etcd raft's <c>log.go</c>). Invariant:
/// applied ≤ committed ≤ lastIndex.
/// </summary>
internal sealed class RaftLog
{
    public const ulong NoLimit = ulong.MaxValue;

    private readonly ulong _maxNextEntriesSize;

    public IRaftStorage Storage { get; }

    public Unstable Unstable { get; }

    /// <summary>The highest index known to be stored on a quorum.</summary>
    public ulong Committed { get; set; }

    /// <summary>The highest index the host has applied to its state machine.</summary>
    public ulong Applied { get; private set; }

    public RaftLog(IRaftStorage storage, ulong maxNextEntriesSize)
    {
        Storage = storage;
        _maxNextEntriesSize = maxNextEntriesSize;
        var firstIndex = storage.FirstIndex();
        var lastIndex = storage.LastIndex();
        Unstable = new Unstable(lastIndex + 1);
        // The snapshot index is committed and applied by definition.
        Committed = firstIndex - 1;
        Applied = firstIndex - 1;
    }

    public override string ToString() =>
        $"committed={Committed}, applied={Applied}, unstable.offset={Unstable.Offset}, len(unstable.Entries)={Unstable.Entries.Count}";

    /// <summary>
    /// Appends a leader's entries after (index, logTerm) if our log matches there; returns the
    /// last index of the new entries, or null if the log does not match (the leader must probe
    /// further back).
    /// </summary>
    public ulong? MaybeAppend(ulong index, ulong logTerm, ulong committed, IReadOnlyList<Entry> entries)
    {
        if (!MatchTerm(index, logTerm))
        {
            return null;
        }
        var lastNew = index + (ulong)entries.Count;
        var conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
            {
                throw new InvalidOperationException($"entry {conflict} conflict with committed entry [committed({Committed})]");
            }
            var start = (int)(conflict - (index + 1));
            Append(entries.Skip(start).ToList());
        }
        CommitTo(Math.Min(committed, lastNew));
        return lastNew;
    }

    public ulong Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return LastIndex();
        }
        var after = entries[0].Index - 1;
        if (after < Committed)
        {
            throw new InvalidOperationException($"after({after}) is out of range [committed({Committed})]");
        }
        Unstable.TruncateAndAppend(entries);
        return LastIndex();
    }

    /// <summary>
    /// The index of the first entry whose term differs from ours (a conflict, or an entry we do
    /// not have yet), or 0 when all of them are already in the log.
    /// </summary>
    public ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        foreach (var e in entries)
        {
            if (!MatchTerm(e.Index, e.Term))
            {
                return e.Index;
            }
        }
        return 0;
    }

    /// <summary>
    /// The largest index ≤ <paramref name="index"/> whose term is ≤ <paramref name="term"/>, with
    /// that term (0 if unknown): lets a rejected append skip a whole term of conflicting entries.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        for (; index > 0; index--)
        {
            var ourTerm = Term(index);
            if (ourTerm is null)
            {
                return (index, 0);
            }
            if (ourTerm <= term)
            {
                return (index, ourTerm.Value);
            }
        }
        return (0, 0);
    }

    public IReadOnlyList<Entry> UnstableEntries() => Unstable.Entries.ToList();

    /// <summary>Committed entries not applied yet, up to the size limit per Ready.</summary>
    public IReadOnlyList<Entry> NextEntries()
    {
        var off = Math.Max(Applied + 1, FirstIndex());
        return Committed + 1 > off ? Slice(off, Committed + 1, _maxNextEntriesSize) : [];
    }

    public bool HasNextEntries() => Committed + 1 > Math.Max(Applied + 1, FirstIndex());

    public bool HasPendingSnapshot() => Unstable.Snapshot is not null;

    public Snapshot Snapshot() => Unstable.Snapshot ?? Storage.Snapshot();

    public ulong FirstIndex() => Unstable.MaybeFirstIndex() ?? Storage.FirstIndex();

    public ulong LastIndex() => Unstable.MaybeLastIndex() ?? Storage.LastIndex();

    public void CommitTo(ulong toCommit)
    {
        // Never decrease the commit index (a stale heartbeat may carry an older one).
        if (Committed < toCommit)
        {
            if (LastIndex() < toCommit)
            {
                throw new InvalidOperationException(
                    $"tocommit({toCommit}) is out of range [lastIndex({LastIndex()})]. Was the raft log corrupted, truncated, or lost?");
            }
            Committed = toCommit;
        }
    }

    public void AppliedTo(ulong index)
    {
        if (index == 0)
        {
            return;
        }
        if (Committed < index || index < Applied)
        {
            throw new InvalidOperationException($"applied({index}) is out of range [prevApplied({Applied}), committed({Committed})]");
        }
        Applied = index;
    }

    public void StableTo(ulong index, ulong term) => Unstable.StableTo(index, term);

    public void StableSnapTo(ulong index) => Unstable.StableSnapTo(index);

    public ulong LastTerm() =>
        Term(LastIndex()) ?? throw new InvalidOperationException("unexpected error when getting the last term");

    /// <summary>
    /// The term of <paramref name="index"/>; 0 beyond the last index; null when the entry was
    /// compacted away (or the storage reports it unavailable).
    /// </summary>
    public ulong? Term(ulong index)
    {
        var dummyIndex = FirstIndex() - 1;
        if (index > LastIndex())
        {
            return 0;
        }
        if (index < dummyIndex)
        {
            return null;
        }
        var t = Unstable.MaybeTerm(index);
        if (t is not null)
        {
            return t;
        }
        try
        {
            return Storage.Term(index);
        }
        catch (CompactedException)
        {
            return null;
        }
        catch (LogUnavailableException)
        {
            return null;
        }
    }

    public ulong ZeroTermOnCompacted(ulong index) => Term(index) ?? 0;

    /// <summary>Entries from <paramref name="index"/> on; throws <see cref="CompactedException"/>.</summary>
    public IReadOnlyList<Entry> Entries(ulong index, ulong maxSize) =>
        index > LastIndex() ? [] : Slice(index, LastIndex() + 1, maxSize);

    public IReadOnlyList<Entry> AllEntries()
    {
        while (true)
        {
            try
            {
                return Entries(FirstIndex(), NoLimit);
            }
            catch (CompactedException)
            {
                // Compacted between FirstIndex() and the read: try again.
            }
        }
    }

    /// <summary>Raft §5.4.1: is a log ending at (lastIndex, term) at least as up to date as ours?</summary>
    public bool IsUpToDate(ulong lastIndex, ulong term) =>
        term > LastTerm() || (term == LastTerm() && lastIndex >= LastIndex());

    public bool MatchTerm(ulong index, ulong term) => Term(index) is { } t && t == term;

    /// <summary>Commits up to maxIndex only if that entry is from the current term (Raft §5.4.2).</summary>
    public bool MaybeCommit(ulong maxIndex, ulong term)
    {
        if (maxIndex > Committed && ZeroTermOnCompacted(maxIndex) == term)
        {
            CommitTo(maxIndex);
            return true;
        }
        return false;
    }

    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Metadata.Index;
        Unstable.Restore(snapshot);
    }

    /// <summary>Entries in [lo, hi) limited to maxSize bytes (at least one); throws <see cref="CompactedException"/>.</summary>
    public IReadOnlyList<Entry> Slice(ulong lo, ulong hi, ulong maxSize)
    {
        CheckOutOfBounds(lo, hi);
        if (lo == hi)
        {
            return [];
        }
        List<Entry> entries = [];
        if (lo < Unstable.Offset)
        {
            var storedHi = Math.Min(hi, Unstable.Offset);
            IReadOnlyList<Entry> stored;
            try
            {
                stored = Storage.Entries(lo, storedHi, maxSize);
            }
            catch (LogUnavailableException e)
            {
                throw new InvalidOperationException($"entries[{lo}:{storedHi}) is unavailable from storage", e);
            }
            // The storage already cut the result at maxSize: nothing from the unstable part fits.
            if ((ulong)stored.Count < storedHi - lo)
            {
                return stored;
            }
            entries.AddRange(stored);
        }
        if (hi > Unstable.Offset)
        {
            entries.AddRange(Unstable.Slice(Math.Max(lo, Unstable.Offset), hi));
        }
        return LimitSize(entries, maxSize);
    }

    private void CheckOutOfBounds(ulong lo, ulong hi)
    {
        if (lo > hi)
        {
            throw new InvalidOperationException($"invalid slice {lo} > {hi}");
        }
        var first = FirstIndex();
        if (lo < first)
        {
            throw new CompactedException();
        }
        var length = LastIndex() + 1 - first;
        if (hi > first + length)
        {
            throw new InvalidOperationException($"slice[{lo},{hi}) out of bound [{first},{LastIndex()}]");
        }
    }

    /// <summary>The longest prefix within maxSize bytes, but never empty if the input is not.</summary>
    public static IReadOnlyList<Entry> LimitSize(List<Entry> entries, ulong maxSize)
    {
        if (entries.Count == 0 || maxSize == NoLimit)
        {
            return entries;
        }
        var size = (ulong)entries[0].CalculateSize();
        int limit;
        for (limit = 1; limit < entries.Count; limit++)
        {
            size += (ulong)entries[limit].CalculateSize();
            if (size > maxSize)
            {
                break;
            }
        }
        return limit == entries.Count ? entries : entries.GetRange(0, limit);
    }
}
