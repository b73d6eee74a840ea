using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage.Cache;

/// <summary>
/// The watch cache (Kubernetes' cacher) in front of the etcd-backed storage: per resource, one
/// store watch feeds an in-memory copy of every object and a window of recent events, from which
/// all watches and resourceVersion=0 reads are served — a thousand watchers cost one etcd watch.
/// Writes and other reads go straight to the store.
/// </summary>
public sealed class CachedStorage(Etcd3Storage inner, TimeProvider clock, TimeSpan bookmarkInterval, int windowSize = 1000) : IObjectStorage
{
    private readonly ConcurrentDictionary<string, Lazy<ResourceCache>> _caches = new(StringComparer.Ordinal);

    /// <summary>The keys of <see cref="_caches"/>, replaced (under a lock on it) whenever one is added.</summary>
    private volatile string[] _prefixes = [];

    public Etcd3Storage Inner => inner;

    public Task<JsonObject> CreateAsync(string key, JsonObject obj, CancellationToken cancellationToken = default)
        => inner.CreateAsync(key, obj, cancellationToken);

    public async Task<JsonObject?> GetAsync(string key, ReadOptions options, CancellationToken cancellationToken = default)
    {
        if (options.ResourceVersion == "0")
        {
            var cache = await CacheForAsync(key, cancellationToken).ConfigureAwait(false);
            return cache.Get(key);
        }

        return await inner.GetAsync(key, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectList> GetListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        if (options.ResourceVersion == "0" && string.IsNullOrEmpty(options.Continue))
        {
            var cache = await CacheForAsync(prefix, cancellationToken).ConfigureAwait(false);
            return cache.List(Etcd3Storage.DirectoryOf(prefix), options.Predicate);
        }

        return await inner.GetListAsync(prefix, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IObjectWatch> WatchAsync(string key, WatchOptions options, CancellationToken cancellationToken = default)
    {
        var cache = await CacheForAsync(key, cancellationToken).ConfigureAwait(false);
        return await cache.WatchAsync(options.Recursive ? Etcd3Storage.DirectoryOf(key) : key, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts from the cached object when the cache has it (Kubernetes' cacher passes the same hint): a store read saved per update.</summary>
    public Task<JsonObject> GuaranteedUpdateAsync(string key, Preconditions? preconditions, bool ignoreNotFound, Func<JsonObject?, JsonObject> tryUpdate,
        CancellationToken cancellationToken = default)
        => inner.GuaranteedUpdateAsync(key, preconditions, ignoreNotFound, tryUpdate, ReadyCacheFor(key)?.Get(key), cancellationToken);

    public Task<JsonObject> DeleteAsync(string key, Preconditions? preconditions, Action<JsonObject>? validateDeletion = null, CancellationToken cancellationToken = default)
        => inner.DeleteAsync(key, preconditions, validateDeletion, cancellationToken);

    public Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default) => inner.CountAsync(prefix, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var cache in _caches.Values.Where(c => c.IsValueCreated))
        {
            await cache.Value.DisposeAsync().ConfigureAwait(false);
        }

        _caches.Clear();
        _prefixes = [];
    }

    /// <summary>Starts the caches of these resource prefixes now rather than at their first use, as Kubernetes does at startup.</summary>
    public async Task StartAsync(IEnumerable<string> prefixes, CancellationToken cancellationToken)
    {
        foreach (var prefix in prefixes)
        {
            await CacheForAsync(prefix, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The cache of the resource a key belongs to: its first path segment (/pods/ns/name → /pods/).</summary>
    private async Task<ResourceCache> CacheForAsync(string key, CancellationToken cancellationToken)
    {
        var prefix = CachePrefixOf(key);
        if (!_caches.TryGetValue(prefix, out var lazy))
        {
            lock (_caches)
            {
                lazy = _caches.GetOrAdd(prefix, p => new Lazy<ResourceCache>(() => new ResourceCache(inner, p, clock, bookmarkInterval, windowSize)));
                _prefixes = [.. _caches.Keys];
            }
        }

        var cache = lazy.Value;
        await cache.ReadyAsync(cancellationToken).ConfigureAwait(false);
        return cache;
    }

    /// <summary>The key's cache if it is started and has listed once; null otherwise (none is started for it).</summary>
    private ResourceCache? ReadyCacheFor(string key)
        => _caches.TryGetValue(CachePrefixOf(key), out var cache) && cache.IsValueCreated && cache.Value.IsReady ? cache.Value : null;

    /// <summary>A started cache's prefix that holds the key (services live under /services/specs/), else the key's first segment.</summary>
    private string CachePrefixOf(string key)
    {
        // Every request asks, so no LINQ over a fresh copy of the dictionary's keys: a scan of a snapshot.
        string? longest = null;
        foreach (var prefix in _prefixes)
        {
            if ((key.StartsWith(prefix, StringComparison.Ordinal) || IsDirectoryOf(prefix, key)) && prefix.Length > (longest?.Length ?? -1))
            {
                longest = prefix;
            }
        }

        return longest ?? $"/{key.TrimStart('/').Split('/')[0]}/";
    }

    /// <summary>Whether <paramref name="prefix"/> is <paramref name="key"/> + "/".</summary>
    private static bool IsDirectoryOf(string prefix, string key)
        => prefix.Length == key.Length + 1 && prefix[^1] == '/' && prefix.StartsWith(key, StringComparison.Ordinal);
}
