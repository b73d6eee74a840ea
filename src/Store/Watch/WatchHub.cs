using Etcdserverpb;
using Microsoft.Extensions.Logging;
using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Watch;

/// <summary>
/// Delivers committed events to watchers, as etcd's watchable store does: a watcher is either
/// synced (it gets each group of events as the writer publishes them) or catching up (a
/// background loop replays history to it from its next revision, then moves it to synced).
/// </summary>
/// <remarks>
/// Every watcher's <see cref="Watcher.NextRevision"/> only moves forward, and only past events
/// it has been sent, so events are never skipped or repeated. The published revision changes
/// only under <c>_lock</c>, together with the delivery of its events to synced watchers, so a
/// watcher that joins the synced set under the lock cannot fall between the two. A sink that is
/// full turns its watcher back into a catching-up one: a slow client never blocks the writer.
/// Events of one revision always travel in one response.
/// </remarks>
public sealed class WatchHub : IAsyncDisposable
{
    /// <summary>The most revisions one catch-up response carries (etcd's watchBatchMaxRevs).</summary>
    public const int MaxRevisionsPerCatchUp = 1000;

    private readonly Lock _lock = new();
    private readonly List<Watcher> _synced = [];
    private readonly List<Watcher> _unsynced = [];
    private readonly HashSet<IWatchSink> _pendingProgress = [];
    private readonly MvccStore _store;
    private readonly Func<long, ResponseHeader> _header;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _catchUpSignal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _catchUpLoop;
    private readonly Task _progressLoop;
    private long _revision;

    public WatchHub(MvccStore store, Func<long, ResponseHeader> header, TimeSpan progressInterval, TimeProvider time, ILogger logger)
    {
        _store = store;
        _header = header;
        _logger = logger;
        _revision = store.Revision;
        _catchUpLoop = Task.Run(CatchUpLoopAsync);
        _progressLoop = Task.Run(() => ProgressLoopAsync(progressInterval, time));
    }

    /// <summary>The revision whose events have all been delivered to synced watchers.</summary>
    public long Revision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _synced.Count + _unsynced.Count;
            }
        }
    }

    /// <summary>Watchers still replaying history to catch up (etcd's slow watchers).</summary>
    public int UnsyncedWatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _unsynced.Count;
            }
        }
    }

    /// <summary>Starts delivering to <paramref name="watcher"/> from its <see cref="Watcher.NextRevision"/>.</summary>
    public void Register(Watcher watcher)
    {
        lock (_lock)
        {
            if (watcher.NextRevision > _revision)
            {
                watcher.Synced = true;
                _synced.Add(watcher);
                return;
            }

            _unsynced.Add(watcher);
        }

        _catchUpSignal.Release();
    }

    /// <summary>Stops delivering to <paramref name="watcher"/>; nothing is sent to it after this returns.</summary>
    public void Unregister(Watcher watcher)
    {
        lock (_lock)
        {
            watcher.Canceled = true;
            (watcher.Synced ? _synced : _unsynced).Remove(watcher);
        }
    }

    /// <summary>
    /// Publishes <paramref name="revision"/> and delivers <paramref name="events"/> (every event of
    /// the revisions after the previous call, in order). Called by the writer after the sync.
    /// </summary>
    public void Notify(long revision, IReadOnlyList<Mvccpb.Event> events)
    {
        List<Mvccpb.Event>? withoutPrev = null;
        var demoted = false;
        lock (_lock)
        {
            _revision = revision;
            for (var i = _synced.Count - 1; i >= 0; i--)
            {
                var watcher = _synced[i];
                WatchResponse? response = null;
                var source = watcher.PrevKv ? events : withoutPrev ??= StripPrev(events);
                foreach (var e in source)
                {
                    if (e.Kv.ModRevision >= watcher.NextRevision && watcher.Matches(e))
                    {
                        response ??= new WatchResponse { Header = _header(revision), WatchId = watcher.Id };
                        response.Events.Add(e);
                    }
                }

                if (response is not null && !watcher.Sink.TrySend(response))
                {
                    // Its stream is full: replay from history later, from the first revision it missed.
                    watcher.Synced = false;
                    _synced.RemoveAt(i);
                    _unsynced.Add(watcher);
                    demoted = true;
                    continue;
                }

                watcher.SentSinceProgress |= response is not null;
                watcher.NextRevision = revision + 1;
            }
        }

        if (demoted)
        {
            _catchUpSignal.Release();
        }
    }

    /// <summary>
    /// The store's contents were replaced by a leader's snapshot at <paramref name="revision"/>
    /// (etcd's watchableStore.Restore): every watcher goes back to catching up from its next
    /// revision, so the history of the new contents is replayed to it (or it is told it was
    /// compacted) instead of events being skipped.
    /// </summary>
    public void Restore(long revision)
    {
        lock (_lock)
        {
            _revision = revision;
            foreach (var watcher in _synced)
            {
                watcher.Synced = false;
                _unsynced.Add(watcher);
            }

            _synced.Clear();
        }

        _catchUpSignal.Release();
    }

    /// <summary>
    /// Answers a client's progress request: the current revision, once every watcher of the stream
    /// has been sent everything up to it (so the answer never claims events not yet delivered).
    /// </summary>
    public void RequestProgress(IWatchSink sink)
    {
        lock (_lock)
        {
            if (!_unsynced.Any(w => w.Sink == sink) && sink.TrySend(ProgressResponse()))
            {
                return;
            }

            _pendingProgress.Add(sink);
        }

        _catchUpSignal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_catchUpLoop, _progressLoop).ConfigureAwait(false);
        _stop.Dispose();
        _catchUpSignal.Dispose();
    }

    private WatchResponse ProgressResponse() => new() { Header = _header(_revision), WatchId = -1 };

    private static List<Mvccpb.Event> StripPrev(IReadOnlyList<Mvccpb.Event> events) =>
        [.. events.Select(e => e.PrevKv is null ? e : new Mvccpb.Event { Type = e.Type, Kv = e.Kv })];

    private async Task CatchUpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Retry slow streams now and then even without a signal: their space frees silently.
                await _catchUpSignal.WaitAsync(TimeSpan.FromMilliseconds(100), _stop.Token).ConfigureAwait(false);
                CatchUp();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "watch catch-up failed; retrying");
            }
        }
    }

    private void CatchUp()
    {
        Watcher[] behind;
        long revision;
        lock (_lock)
        {
            SendPendingProgressLocked();
            if (_unsynced.Count == 0)
            {
                return;
            }

            behind = [.. _unsynced];
            revision = _revision;
        }

        using var view = _store.Backend.OpenView();
        var compacted = _store.CompactRevision; // read after opening the view: see MvccStore.Range
        var from = long.MaxValue;
        foreach (var watcher in behind)
        {
            if (watcher.NextRevision < compacted)
            {
                // etcd 3.4 sends this response without a revision in its header.
                var canceled = new WatchResponse { Header = _header(0), WatchId = watcher.Id, CompactRevision = compacted, Canceled = true };
                lock (_lock)
                {
                    if (!watcher.Canceled && watcher.Sink.TrySend(canceled))
                    {
                        watcher.Canceled = true;
                        _unsynced.Remove(watcher);
                    }
                }

                continue;
            }

            from = Math.Min(from, watcher.NextRevision);
        }

        if (from > revision)
        {
            PromoteCaughtUp(behind);
            return;
        }

        var to = Math.Min(revision, from + MaxRevisionsPerCatchUp - 1);
        var events = MvccStore.ReadHistory(view, from, to);
        foreach (var watcher in behind)
        {
            if (watcher.Canceled || watcher.NextRevision < compacted)
            {
                continue;
            }

            var response = new WatchResponse { Header = _header(revision), WatchId = watcher.Id };
            foreach (var e in events)
            {
                if (e.Kv.ModRevision >= watcher.NextRevision && watcher.Matches(e))
                {
                    response.Events.Add(watcher.PrevKv ? WithPrev(view, e, compacted) : e);
                }
            }

            lock (_lock)
            {
                if (watcher.Canceled || (response.Events.Count > 0 && !watcher.Sink.TrySend(response)))
                {
                    continue;
                }

                watcher.SentSinceProgress |= response.Events.Count > 0;
                watcher.NextRevision = Math.Max(watcher.NextRevision, to + 1);
            }
        }

        PromoteCaughtUp(behind);
    }

    private void PromoteCaughtUp(Watcher[] watchers)
    {
        var more = false;
        lock (_lock)
        {
            foreach (var watcher in watchers)
            {
                if (watcher.Canceled || watcher.Synced)
                {
                    continue;
                }

                if (watcher.NextRevision > _revision)
                {
                    _unsynced.Remove(watcher);
                    watcher.Synced = true;
                    _synced.Add(watcher);
                }
                else
                {
                    more = true;
                }
            }

            SendPendingProgressLocked();
        }

        if (more)
        {
            _catchUpSignal.Release();
        }
    }

    private void SendPendingProgressLocked()
    {
        if (_pendingProgress.Count == 0)
        {
            return;
        }

        _pendingProgress.RemoveWhere(sink => !_unsynced.Any(w => w.Sink == sink) && sink.TrySend(ProgressResponse()));
    }

    private static Mvccpb.Event WithPrev(Backend.IBackendView view, Mvccpb.Event e, long compacted)
    {
        // As etcd, which reads the previous key-value at revision-1: none once that is compacted,
        // whether or not the physical compaction has removed it yet.
        var isCreate = e.Type == Mvccpb.Event.Types.EventType.Put && e.Kv.CreateRevision == e.Kv.ModRevision;
        if (isCreate || e.Kv.ModRevision - 1 < compacted)
        {
            return e;
        }

        var previous = MvccStore.PreviousVersion(view, e.Kv.Key.ToByteArray(), e.Kv.ModRevision);
        return previous is null ? e : new Mvccpb.Event { Type = e.Type, Kv = e.Kv, PrevKv = previous };
    }

    private async Task ProgressLoopAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    foreach (var watcher in _synced)
                    {
                        // Like etcd, skip watchers that were sent events since the last tick.
                        if (watcher.ProgressNotify && !watcher.SentSinceProgress)
                        {
                            watcher.Sink.TrySend(new WatchResponse { Header = _header(_revision), WatchId = watcher.Id });
                        }

                        watcher.SentSinceProgress = false;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
