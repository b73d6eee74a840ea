using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>
/// The apiserver's one storage seam (the shape of Kubernetes' storage.Interface). Keys are paths
/// below the storage prefix ("/pods/default/web-1"); objects are Kubernetes JSON objects whose
/// <c>metadata.resourceVersion</c> is the key's etcd mod_revision: it is filled in on every
/// object returned and never stored. Errors are <see cref="StorageException"/>s.
/// The etcd-backed store and the watch cache both implement it, and one contract test suite
/// runs against both.
/// </summary>
public interface IObjectStorage : IAsyncDisposable
{
    /// <summary>Stores a new object; fails with <see cref="StorageErrorCode.KeyExists"/> if the key is taken.</summary>
    Task<JsonObject> CreateAsync(string key, JsonObject obj, CancellationToken cancellationToken = default);

    /// <summary>The object at <paramref name="key"/>, or null when there is none.</summary>
    Task<JsonObject?> GetAsync(string key, ReadOptions options, CancellationToken cancellationToken = default);

    /// <summary>The objects below <paramref name="prefix"/> (a "directory", ending in '/') that match the options' predicate.</summary>
    Task<ObjectList> GetListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default);

    /// <summary>Changes to the object at a key, or to every object below a prefix when <see cref="WatchOptions.Recursive"/>.</summary>
    Task<IObjectWatch> WatchAsync(string key, WatchOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the current object, asks <paramref name="tryUpdate"/> for its new state and writes it
    /// only if nobody wrote in between (Txn on mod_revision), retrying with the fresh object
    /// otherwise. <paramref name="tryUpdate"/> receives a private copy (null when the object does
    /// not exist and <paramref name="ignoreNotFound"/> is set) and may throw to abort.
    /// An update that changes nothing is not written.
    /// </summary>
    Task<JsonObject> GuaranteedUpdateAsync(string key, Preconditions? preconditions, bool ignoreNotFound,
        Func<JsonObject?, JsonObject> tryUpdate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the object if the preconditions hold and <paramref name="validateDeletion"/> does not
    /// throw for the current state; returns the object as it was just before deletion.
    /// </summary>
    Task<JsonObject> DeleteAsync(string key, Preconditions? preconditions, Action<JsonObject>? validateDeletion = null,
        CancellationToken cancellationToken = default);

    /// <summary>How many objects are stored below <paramref name="prefix"/>.</summary>
    Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default);
}
