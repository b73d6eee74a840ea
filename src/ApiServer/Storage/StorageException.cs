namespace MiniKube.ApiServer.Storage;

/// <summary>A storage call that failed for a reason the REST layer turns into a Kubernetes Status.</summary>
public sealed class StorageException(StorageErrorCode code, string key, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public StorageErrorCode Code { get; } = code;

    public string Key { get; } = key;

    /// <summary>For <see cref="StorageErrorCode.ResourceVersionTooLarge"/>: the store's current revision.</summary>
    public long CurrentRevision { get; init; }
}
