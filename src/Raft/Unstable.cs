using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// The tail of the log (and possibly an incoming snapshot) that the host has not persisted yet
/// (etcd raft's <c>log_unstable.go</c>). <c>Entries[i]</c> has index <c>Offset + i</c>.
/// </summary>
internal sealed class Unstable
{
    public Snapshot? Snapshot { get; private set; }

    public List<Entry> Entries { get; private set; } = [];

    public ulong Offset { get; private set; }

    public Unstable(ulong offset) => Offset = offset;

    /// <summary>The first index if there is an unstable snapshot (the log restarts after it).</summary>
    public ulong? MaybeFirstIndex() => Snapshot is null ? null : Snapshot.Metadata.Index + 1;

    public ulong? MaybeLastIndex()
    {
        if (Entries.Count != 0)
        {
            return Offset + (ulong)Entries.Count - 1;
        }
        return Snapshot?.Metadata.Index;
    }

    public ulong? MaybeTerm(ulong index)
    {
        if (index < Offset)
        {
            return Snapshot is not null && Snapshot.Metadata.Index == index ? Snapshot.Metadata.Term : null;
        }
        var last = MaybeLastIndex();
        if (last is null || index > last)
        {
            return null;
        }
        return Entries[(int)(index - Offset)].Term;
    }

    /// <summary>
    /// The host persisted entries up to (index, term). The term check matters: if the entry at
    /// that index was replaced by a newer leader's entry since the Ready was taken, the new one
    /// is not persisted yet and must stay.
    /// </summary>
    public void StableTo(ulong index, ulong term)
    {
        var t = MaybeTerm(index);
        if (t is null)
        {
            return;
        }
        if (t == term && index >= Offset)
        {
            Entries = Entries.GetRange((int)(index + 1 - Offset), Entries.Count - (int)(index + 1 - Offset));
            Offset = index + 1;
        }
    }

    public void StableSnapTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Metadata.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Metadata.Index + 1;
        Entries = [];
        Snapshot = snapshot;
    }

    public void TruncateAndAppend(IReadOnlyList<Entry> entries)
    {
        var after = entries[0].Index;
        if (after == Offset + (ulong)Entries.Count)
        {
            Entries.AddRange(entries);
        }
        else if (after <= Offset)
        {
            // The log is being replaced from before the unstable part on.
            Offset = after;
            Entries = [.. entries];
        }
        else
        {
            var kept = Slice(Offset, after);
            kept.AddRange(entries);
            Entries = kept;
        }
    }

    public List<Entry> Slice(ulong lo, ulong hi)
    {
        var upper = Offset + (ulong)Entries.Count;
        if (lo > hi || lo < Offset || hi > upper)
        {
            throw new InvalidOperationException($"unstable.slice[{lo},{hi}) out of bound [{Offset},{upper}]");
        }
        return Entries.GetRange((int)(lo - Offset), (int)(hi - lo));
    }
}
