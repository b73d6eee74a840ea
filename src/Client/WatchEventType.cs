namespace MiniKube.Client;

/// <summary>The type of a watch event (metav1.WatchEvent's type field).</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
