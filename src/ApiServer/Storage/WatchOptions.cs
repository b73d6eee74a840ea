using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>A watch's options.</summary>
public sealed record WatchOptions
{
    /// <summary>
    /// Events after this revision. 0 means "now": the watch first reports every current object as
    /// ADDED, then the changes after that state (Kubernetes' semantics for an unset or "0" resourceVersion).
    /// </summary>
    public long ResourceVersion { get; init; }

    /// <summary>Watch every key below the prefix instead of one key.</summary>
    public bool Recursive { get; init; }

    /// <summary>
    /// Only objects that pass it are reported; an object that stops passing is reported as
    /// DELETED and one that starts passing as ADDED, as Kubernetes does.
    /// </summary>
    public Func<JsonObject, bool>? Predicate { get; init; }

    /// <summary>Report BOOKMARK events carrying the current revision when there is nothing else to say.</summary>
    public bool AllowBookmarks { get; init; }
}
