namespace MiniKube.ApiServer.Storage;

/// <summary>Why a storage call failed (Kubernetes' storage.StorageError codes, plus the ones its etcd3 store maps itself).</summary>
public enum StorageErrorCode
{
    KeyNotFound,
    KeyExists,
    /// <summary>A precondition (UID or resourceVersion) did not hold, or the object changed under a write that required it not to.</summary>
    Conflict,
    /// <summary>The requested resourceVersion was compacted away (HTTP 410).</summary>
    ResourceVersionExpired,
    /// <summary>The requested resourceVersion is newer than the store's revision.</summary>
    ResourceVersionTooLarge,
    /// <summary>A continue token that cannot be decoded or does not belong to this list.</summary>
    InvalidContinue,
    /// <summary>A stored value that is not a JSON object.</summary>
    InvalidObject,
    /// <summary>The store did not answer (no leader, timed out, unreachable).</summary>
    Unavailable,
}
