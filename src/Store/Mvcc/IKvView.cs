namespace MiniKube.Store.Mvcc;

/// <summary>
/// What a transaction reads through: the published state at one revision (<see cref="MvccReadView"/>,
/// for read-only requests) or a write transaction's latest state (<see cref="MvccWriteTxn"/>).
/// </summary>
public interface IKvView
{
    /// <summary>The revision reads at revision 0 see, and that responses report.</summary>
    long Revision { get; }

    /// <summary>The compaction revision: reads below it fail.</summary>
    long CompactRevision { get; }

    RangeResult Range(KeyRange range, RangeOptions options, bool keysOnly = false);
}

/// <summary>A read-only view of the published state, fixed at the revision published when it was taken.</summary>
public sealed class MvccReadView(MvccStore store) : IKvView
{
    public long Revision { get; } = store.Revision;

    public long CompactRevision => store.CompactRevision;

    public RangeResult Range(KeyRange range, RangeOptions options, bool keysOnly = false)
    {
        var atRevision = MvccStore.ResolveReadRevision(options.Revision, Revision);
        var result = store.Range(range, options with { Revision = atRevision }, keysOnly);
        return result with { Revision = Revision };
    }
}
