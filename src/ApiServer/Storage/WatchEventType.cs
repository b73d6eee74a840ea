namespace MiniKube.ApiServer.Storage;

/// <summary>The type of a watch event, spelled as Kubernetes sends it.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
