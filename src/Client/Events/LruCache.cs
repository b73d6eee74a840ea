namespace MiniKube.Client.Events;

/// <summary>
/// A fixed-capacity map that forgets its least recently used entry when full (groupcache's lru.Cache, which
/// client-go's event correlation keeps its state in). Not thread-safe: callers hold their own lock.
/// </summary>
public sealed class LruCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = new(capacity);

    // Most recently used first.
    private readonly LinkedList<(TKey Key, TValue Value)> _recency = new();

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Add(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            node.Value = (key, value);
            _recency.AddFirst(node);
            return;
        }

        if (_entries.Count >= capacity)
        {
            var oldest = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
        }

        _entries[key] = _recency.AddFirst((key, value));
    }
}
