using MiniKube.Api.Meta;

namespace MiniKube.Client.Cache;

/// <summary>
/// A thread-safe store of objects keyed by <c>namespace/name</c> (or <c>name</c> for cluster-scoped kinds), with
/// named secondary indexes (client-go's cache.Indexer). Objects are stored and handed out as they are: callers
/// must never mutate what they get (copy first), or every other reader of the cache sees the change.
/// </summary>
public sealed class Indexer<T>
    where T : class, IKubernetesObject
{
    /// <summary>The index of objects by metadata.namespace.</summary>
    public const string NamespaceIndex = "namespace";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);

    // index name → index value → keys
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indices = new(StringComparer.Ordinal);

    public Indexer()
    {
        AddIndex(NamespaceIndex, o => o.Metadata?.Namespace is { Length: > 0 } ns ? [ns] : []);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds a named index; the objects already stored are indexed too.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexFunc)
    {
        lock (_lock)
        {
            if (!_indexers.TryAdd(name, indexFunc))
            {
                throw new InvalidOperationException($"the index {name} already exists");
            }

            _indices[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, obj) in _items)
            {
                IndexLocked(name, key, obj);
            }
        }
    }

    public T? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public T? Get(string? @namespace, string name) => Get(ObjectKeys.KeyOf(@namespace, name));

    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<string> ListKeys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    /// <summary>The objects whose <paramref name="indexName"/> values include <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_lock)
        {
            if (!_indices.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"no index named {indexName}", nameof(indexName));
            }

            return index.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Stores <paramref name="obj"/>; returns what it replaced.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKeys.KeyOf(obj);
        lock (_lock)
        {
            var old = _items.GetValueOrDefault(key);
            if (old is not null)
            {
                UnindexLocked(key, old);
            }

            _items[key] = obj;
            foreach (var name in _indexers.Keys)
            {
                IndexLocked(name, key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes the object under <paramref name="key"/>; returns it, or null when there was none.</summary>
    public T? Delete(string key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            UnindexLocked(key, old);
            return old;
        }
    }

    /// <summary>Replaces the whole content (after a relist); returns the objects that were dropped.</summary>
    public IReadOnlyList<T> Replace(IEnumerable<T> objects)
    {
        lock (_lock)
        {
            var fresh = objects.ToDictionary(ObjectKeys.KeyOf, StringComparer.Ordinal);
            var dropped = _items.Where(kv => !fresh.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList();
            _items.Clear();
            foreach (var index in _indices.Values)
            {
                index.Clear();
            }

            foreach (var (key, obj) in fresh)
            {
                _items[key] = obj;
                foreach (var name in _indexers.Keys)
                {
                    IndexLocked(name, key, obj);
                }
            }

            return dropped;
        }
    }

    /// <summary>Caller must hold the lock.</summary>
    private void IndexLocked(string name, string key, T obj)
    {
        var index = _indices[name];
        foreach (var value in _indexers[name](obj))
        {
            if (!index.TryGetValue(value, out var keys))
            {
                index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }
    }

    /// <summary>Caller must hold the lock.</summary>
    private void UnindexLocked(string key, T obj)
    {
        foreach (var (name, func) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in func(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
