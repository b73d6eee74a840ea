using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Watch;

/// <summary>One watch: a key range, its filters, and how far its events have been delivered.</summary>
public sealed class Watcher(long id, KeyRange range, long startRevision, IWatchSink sink)
{
    public long Id { get; } = id;

    public KeyRange Range { get; } = range;

    public IWatchSink Sink { get; } = sink;

    public bool FilterPuts { get; init; }

    public bool FilterDeletes { get; init; }

    public bool PrevKv { get; init; }

    public bool ProgressNotify { get; init; }

    /// <summary>The first revision not yet delivered. Guarded by the hub's lock.</summary>
    public long NextRevision { get; set; } = startRevision;

    /// <summary>Whether it receives events as they are committed (else it is catching up from history).</summary>
    public bool Synced { get; set; }

    /// <summary>Whether an event was sent since the last progress notification.</summary>
    public bool SentSinceProgress { get; set; }

    public bool Canceled { get; set; }

    public bool Matches(Mvccpb.Event e) =>
        Range.Contains(e.Kv.Key.Span) &&
        !(FilterPuts && e.Type == Mvccpb.Event.Types.EventType.Put) &&
        !(FilterDeletes && e.Type == Mvccpb.Event.Types.EventType.Delete);
}
