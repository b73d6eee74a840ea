using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>
/// One change seen by a watch. For DELETED the item is the last state before deletion with the
/// deletion's revision as its resourceVersion; for BOOKMARK only the revision is meaningful; for
/// ERROR the object is a metav1.Status and the watch ends after it.
/// </summary>
public sealed record StorageEvent(WatchEventType Type, JsonObject Item, long ResourceVersion)
{
    /// <summary>
    /// <see cref="Item"/> as JSON when the producer encodes one change once for all its watchers (the watch cache);
    /// empty otherwise. When set, <see cref="Item"/> is shared with other watchers and must only be read.
    /// </summary>
    public ReadOnlyMemory<byte> EncodedItem { get; init; }
}
