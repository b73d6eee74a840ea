using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>
/// What a filtered watch sees of one change (Kubernetes' etcd3 watcher and cacher agree on it):
/// an object entering the filter is ADDED, one leaving it is DELETED (as it was before), one
/// staying in it is MODIFIED, and changes outside the filter are not seen.
/// </summary>
public static class PredicateTransitions
{
    /// <param name="type">Added, Modified or Deleted, as the store saw it.</param>
    /// <param name="current">The new state (for Deleted: the last state, stamped with the deletion's revision).</param>
    /// <param name="previous">The state before the change; null for a creation.</param>
    public static StorageEvent? Apply(WatchEventType type, JsonObject current, JsonObject? previous, long revision, Func<JsonObject, bool>? predicate)
    {
        if (type == WatchEventType.Deleted)
        {
            return predicate is null || predicate(current) ? new StorageEvent(WatchEventType.Deleted, current, revision) : null;
        }

        var currentPasses = predicate is null || predicate(current);
        if (previous is null)
        {
            return currentPasses ? new StorageEvent(WatchEventType.Added, current, revision) : null;
        }

        var previousPasses = predicate is null || predicate(previous);
        return (currentPasses, previousPasses) switch
        {
            (true, true) => new StorageEvent(WatchEventType.Modified, current, revision),
            (true, false) => new StorageEvent(WatchEventType.Added, current, revision),
            (false, true) => new StorageEvent(WatchEventType.Deleted, StampRevision(previous, revision), revision),
            _ => null,
        };
    }

    private static JsonObject StampRevision(JsonObject obj, long revision)
    {
        var copy = obj.DeepClone().AsObject();
        ObjectMetadata.SetResourceVersion(copy, revision);
        return copy;
    }
}
