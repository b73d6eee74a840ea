namespace MiniKube.Client;

/// <summary>The query of a list or watch (metav1.ListOptions).</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public long? Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary>Empty: a consistent read from the store; "0": whatever the watch cache holds; else from that version.</summary>
    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }

    public int? TimeoutSeconds { get; init; }

    public bool AllowWatchBookmarks { get; init; }

    internal IEnumerable<(string Name, string Value)> Query(bool watch)
    {
        if (watch)
        {
            yield return ("watch", "true");
        }

        if (!string.IsNullOrEmpty(LabelSelector))
        {
            yield return ("labelSelector", LabelSelector);
        }

        if (!string.IsNullOrEmpty(FieldSelector))
        {
            yield return ("fieldSelector", FieldSelector);
        }

        if (Limit is { } limit)
        {
            yield return ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(Continue))
        {
            yield return ("continue", Continue);
        }

        if (ResourceVersion is not null)
        {
            yield return ("resourceVersion", ResourceVersion);
        }

        if (!string.IsNullOrEmpty(ResourceVersionMatch))
        {
            yield return ("resourceVersionMatch", ResourceVersionMatch);
        }

        if (TimeoutSeconds is { } timeout)
        {
            yield return ("timeoutSeconds", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (AllowWatchBookmarks)
        {
            yield return ("allowWatchBookmarks", "true");
        }
    }
}
