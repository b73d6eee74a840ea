using MiniKube.Api.Meta;

namespace MiniKube.Client.Cache;

/// <summary>
/// Keeps an <see cref="Indexer{T}"/> equal to the apiserver's view of one resource (client-go's Reflector): lists,
/// then watches from the list's resourceVersion with bookmarks. A watch that ends or breaks is resumed from the
/// last resourceVersion seen (after a jittered backoff when it broke); a 410 Gone — the store compacted past that
/// version — or an ERROR event means a relist, whose differences from the cache become deltas. Every change is
/// applied to the indexer and then handed to the delta callback, both under <see cref="SyncRoot"/>.
/// </summary>
public sealed class Reflector<T>
    where T : class, IKubernetesObject
{
    private readonly KubeClient _client;
    private readonly Action<Delta<T>> _onDelta;
    private readonly ReflectorOptions _options;
    private readonly Backoff _backoff;
    private readonly Random _random;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lists;
    private string _lastResourceVersion = "";

    public Reflector(KubeClient client, Indexer<T> indexer, Action<Delta<T>> onDelta, ReflectorOptions? options = null)
    {
        _client = client;
        Indexer = indexer;
        _onDelta = onDelta;
        _options = options ?? new ReflectorOptions();
        _backoff = new Backoff(_options.BackoffInitial, _options.BackoffMax, _options.BackoffJitter, _options.Seed);
        _random = new Random(_options.Seed);
    }

    public Indexer<T> Indexer { get; }

    /// <summary>Held while a change is applied and handed out; take it to see the cache and the deltas agree.</summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>True once the first list is in the indexer.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    public Task Synced => _synced.Task;

    /// <summary>How many times the reflector has listed (1 after the first; more after each relist).</summary>
    public long ListCount => Interlocked.Read(ref _lists);

    public string LastSyncResourceVersion => Volatile.Read(ref _lastResourceVersion);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; never throws for API or network errors.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resync = _options.ResyncPeriod > TimeSpan.Zero
            ? _options.TimeProvider.CreateTimer(_ => Resync(), null, _options.ResyncPeriod, _options.ResyncPeriod)
            : null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListAsync(cancellationToken).ConfigureAwait(false);
                _backoff.Reset();
                await WatchUntilGoneAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
            {
                _options.OnError?.Invoke(e);
                await DelayAsync(_backoff.Next(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? cont = null;
        string resourceVersion;
        do
        {
            var page = await _client.ListAsync<T>(_options.Namespace, new ListOptions
            {
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                Limit = _options.PageSize > 0 ? _options.PageSize : null,
                Continue = cont,
            }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            resourceVersion = page.ResourceVersion;
            cont = page.Continue;
        }
        while (cont is not null);

        lock (SyncRoot)
        {
            var before = Indexer.List().ToDictionary(ObjectKeys.KeyOf, StringComparer.Ordinal);
            var dropped = Indexer.Replace(items);
            foreach (var obj in items)
            {
                var old = before.GetValueOrDefault(ObjectKeys.KeyOf(obj));
                if (old is null)
                {
                    _onDelta(new Delta<T>(DeltaType.Added, obj, null));
                }
                else if (old.Metadata?.ResourceVersion != obj.Metadata?.ResourceVersion)
                {
                    _onDelta(new Delta<T>(DeltaType.Updated, obj, old));
                }
            }

            foreach (var old in dropped)
            {
                _onDelta(new Delta<T>(DeltaType.Deleted, old, old));
            }

            Volatile.Write(ref _lastResourceVersion, resourceVersion);
        }

        Interlocked.Increment(ref _lists);
        _synced.TrySetResult();
    }

    /// <summary>Watches, resuming after ends and breaks, until the resourceVersion is gone (then the caller relists).</summary>
    private async Task WatchUntilGoneAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var started = _options.TimeProvider.GetTimestamp();
            var events = 0;
            try
            {
                var timeout = _options.MinWatchTimeout.TotalSeconds * (1 + _random.NextDouble());
                var options = new ListOptions
                {
                    LabelSelector = _options.LabelSelector,
                    FieldSelector = _options.FieldSelector,
                    ResourceVersion = LastSyncResourceVersion,
                    AllowWatchBookmarks = true,
                    TimeoutSeconds = (int)timeout,
                };
                await foreach (var e in _client.WatchAsync<T>(_options.Namespace, options, cancellationToken).ConfigureAwait(false))
                {
                    events++;
                    if (e.Type == WatchEventType.Error)
                    {
                        if (e.Error?.Code == 410 || e.Error?.Reason is "Expired" or "Gone")
                        {
                            return;
                        }

                        throw new KubeApiException(e.Error ?? new Status { Code = 500, Message = "watch error" });
                    }

                    Apply(e);
                }

                _backoff.Reset();
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && e is HttpRequestException or IOException or OperationCanceledException)
            {
                _options.OnError?.Invoke(e);
                await DelayAsync(_backoff.Next(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            // A server that ends watches at once would otherwise be hammered in a tight loop.
            if (events == 0 && _options.TimeProvider.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
            {
                await DelayAsync(_backoff.Next(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Apply(WatchEvent<T> e)
    {
        var obj = e.Object!;
        lock (SyncRoot)
        {
            switch (e.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    var old = Indexer.Upsert(obj);
                    _onDelta(old is null ? new Delta<T>(DeltaType.Added, obj, null) : new Delta<T>(DeltaType.Updated, obj, old));
                    break;
                case WatchEventType.Deleted:
                    var gone = Indexer.Delete(ObjectKeys.KeyOf(obj));
                    _onDelta(new Delta<T>(DeltaType.Deleted, obj, gone));
                    break;
            }

            if (obj.Metadata?.ResourceVersion is { Length: > 0 } rv)
            {
                Volatile.Write(ref _lastResourceVersion, rv);
            }
        }
    }

    private void Resync()
    {
        lock (SyncRoot)
        {
            foreach (var obj in Indexer.List())
            {
                _onDelta(new Delta<T>(DeltaType.Sync, obj, obj));
            }
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, _options.TimeProvider, cancellationToken);
}
