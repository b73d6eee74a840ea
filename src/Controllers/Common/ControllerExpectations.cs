namespace MiniKube.Controllers.Common;

/// <summary>
/// What a controller is waiting to see through its informer after it created or deleted objects (k8s'
/// UIDTrackingControllerExpectations). A key is not synced again while creations or deletions it caused are
/// still unobserved, so a slow watch never makes it create or delete twice. Deletions are tracked by the pod's
/// key so that seeing a pod go twice (graceful deletion, then removal) counts once. Expectations older than
/// five minutes are considered expired, so a lost watch event cannot block a controller forever. Thread-safe.
/// </summary>
public sealed class ControllerExpectations(TimeProvider time)
{
    /// <summary>k8s' ExpectationsTimeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>True when nothing is pending for <paramref name="key"/> (or it expired, or was never set).</summary>
    public bool SatisfiedExpectations(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var e))
            {
                return true;
            }

            return (e.Add <= 0 && e.Del <= 0) || time.GetUtcNow() - e.SetAt > Timeout;
        }
    }

    public void ExpectCreations(string key, int adds)
    {
        lock (_lock)
        {
            _entries[key] = new Entry { Add = adds, SetAt = time.GetUtcNow() };
        }
    }

    public void ExpectDeletions(string key, IEnumerable<string> podKeys)
    {
        lock (_lock)
        {
            var keys = podKeys.ToHashSet();
            _entries[key] = new Entry { Del = keys.Count, DeleteKeys = keys, SetAt = time.GetUtcNow() };
        }
    }

    public void CreationObserved(string key) => LowerCreations(key, 1);

    /// <summary>Creations that will never be observed (they failed or were skipped).</summary>
    public void LowerCreations(string key, int count)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                e.Add -= count;
            }
        }
    }

    /// <summary>The pod <paramref name="podKey"/> was seen going (or its deletion failed).</summary>
    public void DeletionObserved(string key, string podKey)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e) && e.DeleteKeys.Remove(podKey))
            {
                e.Del--;
            }
        }
    }

    public void DeleteExpectations(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>(pending creations, pending deletions), for tests and logs; null when none are set.</summary>
    public (int Add, int Del)? Get(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var e) ? (e.Add, e.Del) : null;
        }
    }

    private sealed class Entry
    {
        public int Add { get; set; }

        public int Del { get; set; }

        public HashSet<string> DeleteKeys { get; init; } = [];

        public DateTimeOffset SetAt { get; init; }
    }
}
