using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>Which revision a list reads (metav1.ResourceVersionMatch).</summary>
public enum ResourceVersionMatch
{
    /// <summary>Unset: for a paged list with a resourceVersion this means Exact, otherwise NotOlderThan.</summary>
    Unset,
    NotOlderThan,
    Exact,
}

/// <summary>A list's options: the revision to read, paging, and the filter objects must pass.</summary>
public sealed record ListOptions
{
    public static readonly ListOptions Everything = new();

    public string? ResourceVersion { get; init; }

    public ResourceVersionMatch ResourceVersionMatch { get; init; }

    /// <summary>At most this many objects; 0 for all of them.</summary>
    public long Limit { get; init; }

    /// <summary>The token of the previous page's <see cref="ObjectList.Continue"/>.</summary>
    public string? Continue { get; init; }

    /// <summary>Objects that fail it are left out (label and field selectors); null keeps all.</summary>
    public Func<JsonObject, bool>? Predicate { get; init; }
}
