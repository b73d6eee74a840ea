using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MiniKube.ApiServer.Storage.Cache;

/// <summary>
/// The watch cache of one resource: every object below its prefix, the last <c>windowSize</c>
/// changes, and the watchers fed from them. One loop lists the prefix, then watches the store from
/// the list's revision; if that watch ends (compaction, store restart) it lists again and ends every
/// watcher, which then re-watch as clients do. All state is guarded by one lock.
/// </summary>
internal sealed class ResourceCache : IAsyncDisposable
{
    private readonly Etcd3Storage _inner;
    private readonly string _prefix;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _bookmarkInterval;
    private readonly object _lock = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly CachedEvent?[] _window;
    private readonly List<CacheWatcher> _watchers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Task _bookmarks;
    private int _windowStart;
    private int _windowCount;
    private long _revision;

    /// <summary>Events at or below this revision are no longer in the window.</summary>
    private long _windowFloor;

    public ResourceCache(Etcd3Storage inner, string prefix, TimeProvider clock, TimeSpan bookmarkInterval, int windowSize)
    {
        _inner = inner;
        _prefix = prefix;
        _clock = clock;
        _bookmarkInterval = bookmarkInterval;
        _window = new CachedEvent?[windowSize];
        _loop = RunAsync(_stop.Token);
        _bookmarks = BookmarkAsync(_stop.Token);
    }

    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Whether the first list is in (the cache may still lag the store, as it always may).</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    public JsonObject? Get(string key)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(key, out var obj) ? obj.DeepClone().AsObject() : null;
        }
    }

    public ObjectList List(string prefix, Func<JsonObject, bool>? predicate)
    {
        lock (_lock)
        {
            var items = _objects.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && (predicate is null || predicate(kv.Value)))
                .Select(kv => kv.Value.DeepClone().AsObject())
                .ToList();
            return new ObjectList(items, _revision, null, null);
        }
    }

    public Task<IObjectWatch> WatchAsync(string keyOrPrefix, WatchOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var watcher = new CacheWatcher(this, keyOrPrefix, options);
            if (options.ResourceVersion == 0)
            {
                // "Now": the current state first, then what changes after it.
                foreach (var (key, obj) in _objects)
                {
                    if (watcher.Covers(key) && (options.Predicate is null || options.Predicate(obj)))
                    {
                        watcher.TryWrite(new StorageEvent(WatchEventType.Added, obj.DeepClone().AsObject(), _revision));
                    }
                }

                watcher.After = _revision;
            }
            else
            {
                if (options.ResourceVersion < _windowFloor)
                {
                    watcher.TryWrite(Etcd3Storage.Expired(options.ResourceVersion, _windowFloor));
                    watcher.Complete();
                    return Task.FromResult<IObjectWatch>(watcher);
                }

                for (var i = 0; i < _windowCount; i++)
                {
                    var e = _window[(_windowStart + i) % _window.Length]!;
                    if (e.Revision > options.ResourceVersion && !watcher.Deliver(e))
                    {
                        break;
                    }
                }
            }

            _watchers.Add(watcher);
            return Task.FromResult<IObjectWatch>(watcher);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loop, _bookmarks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Complete();
            }

            _watchers.Clear();
        }

        _stop.Dispose();
    }

    internal void Remove(CacheWatcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var list = await _inner.GetListAsync(_prefix, ListOptions.Everything, stop).ConfigureAwait(false);
                lock (_lock)
                {
                    _objects.Clear();
                    foreach (var obj in list.Items)
                    {
                        _objects[KeyOf(obj)] = obj;
                    }

                    _revision = list.ResourceVersion;
                    _windowFloor = list.ResourceVersion;
                    Array.Clear(_window);
                    _windowStart = 0;
                    _windowCount = 0;
                    foreach (var watcher in _watchers)
                    {
                        watcher.Complete();
                    }

                    _watchers.Clear();
                }

                _ready.TrySetResult();
                await using var watch = await _inner.WatchAsync(_prefix, new WatchOptions { ResourceVersion = list.ResourceVersion, Recursive = true, AllowBookmarks = true }, stop)
                    .ConfigureAwait(false);
                await foreach (var e in watch.Events.ReadAllAsync(stop).ConfigureAwait(false))
                {
                    if (e.Type == WatchEventType.Error)
                    {
                        break;
                    }

                    Apply(e);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (StorageException)
            {
                // The store is away: try again shortly, as a reflector would.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _clock, stop).ConfigureAwait(false);
        }
    }

    private void Apply(StorageEvent e)
    {
        lock (_lock)
        {
            if (e.Type == WatchEventType.Bookmark)
            {
                _revision = Math.Max(_revision, e.ResourceVersion);
                return;
            }

            var key = KeyOf(e.Item);
            _objects.TryGetValue(key, out var previous);
            // The event's object was decoded for this cache's own store watch alone: kept as it is, not copied.
            var item = e.Item;
            if (e.Type == WatchEventType.Deleted)
            {
                _objects.Remove(key);
            }
            else
            {
                _objects[key] = item;
            }

            var cached = new CachedEvent(key, e.Type, item, e.Type == WatchEventType.Added ? null : previous, e.ResourceVersion);
            if (_windowCount == _window.Length)
            {
                _windowFloor = _window[_windowStart]!.Revision;
                _windowStart = (_windowStart + 1) % _window.Length;
                _windowCount--;
            }

            _window[(_windowStart + _windowCount) % _window.Length] = cached;
            _windowCount++;
            _revision = e.ResourceVersion;
            _watchers.RemoveAll(w => !w.Deliver(cached));
        }
    }

    private async Task BookmarkAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_bookmarkInterval, _clock, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                foreach (var watcher in _watchers)
                {
                    watcher.Bookmark(_revision);
                }
            }
        }
    }

    /// <summary>The storage key of a cached object, from its namespace and name.</summary>
    private string KeyOf(JsonObject obj)
        => ObjectMetadata.Namespace(obj) is { Length: > 0 } ns ? $"{_prefix}{ns}/{ObjectMetadata.Name(obj)}" : $"{_prefix}{ObjectMetadata.Name(obj)}";

    /// <summary>A change in the window. Item and Previous are never modified once cached: watchers share them.</summary>
    internal sealed record CachedEvent(string Key, WatchEventType Type, JsonObject Item, JsonObject? Previous, long Revision)
    {
        private byte[]? _encoded;

        /// <summary>Item as JSON, encoded by the first watcher that sends it. Caller must hold the cache's lock.</summary>
        public byte[] EncodedLocked() => _encoded ??= JsonSerializer.SerializeToUtf8Bytes(Item);
    }

    /// <summary>One watch served from the cache; a watcher that cannot keep up is ended (the client re-watches).</summary>
    internal sealed class CacheWatcher(ResourceCache cache, string keyOrPrefix, WatchOptions options) : IObjectWatch
    {
        private readonly Channel<StorageEvent> _events = Channel.CreateBounded<StorageEvent>(new BoundedChannelOptions(1000)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });

        private long _lastBookmark;

        /// <summary>Events at or below this revision were already reported.</summary>
        public long After { get; set; } = options.ResourceVersion;

        public ChannelReader<StorageEvent> Events => _events.Reader;

        public bool Covers(string key) => options.Recursive ? key.StartsWith(keyOrPrefix, StringComparison.Ordinal) : key == keyOrPrefix;

        public bool TryWrite(StorageEvent e) => _events.Writer.TryWrite(e);

        /// <summary>Hands one change to the watch; false when the watch is full and was ended. Caller must hold the cache's lock.</summary>
        public bool Deliver(CachedEvent e)
        {
            if (e.Revision <= After || !Covers(e.Key))
            {
                return true;
            }

            After = e.Revision;
            // No copies per watcher: the predicate only reads, and a change sent as it is goes out with the one
            // encoding every watcher shares (a DELETED made from Previous is a copy of its own).
            var converted = PredicateTransitions.Apply(e.Type, e.Item, e.Previous, e.Revision, options.Predicate);
            if (converted is not null && ReferenceEquals(converted.Item, e.Item))
            {
                converted = converted with { EncodedItem = e.EncodedLocked() };
            }

            if (converted is null || _events.Writer.TryWrite(converted))
            {
                return true;
            }

            Complete();
            return false;
        }

        public void Bookmark(long revision)
        {
            if (options.AllowBookmarks && revision > _lastBookmark && revision >= After)
            {
                _lastBookmark = revision;
                _events.Writer.TryWrite(Etcd3Storage.Bookmark(revision));
            }
        }

        public void Complete() => _events.Writer.TryComplete();

        public ValueTask DisposeAsync()
        {
            cache.Remove(this);
            Complete();
            return ValueTask.CompletedTask;
        }
    }
}
