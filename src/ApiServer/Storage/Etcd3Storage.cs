using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using MiniKube.Etcd.Client;
using Mvccpb;

namespace MiniKube.ApiServer.Storage;

/// <summary>
/// <see cref="IObjectStorage"/> over the etcd v3 API (Kubernetes' etcd3 store): every key lives at
/// <c>{prefix}{key}</c>, values are the object's JSON without its resourceVersion, and writes are
/// transactions comparing the key's mod_revision. Works unchanged against MiniKube's store and a real etcd.
/// </summary>
public sealed partial class Etcd3Storage(EtcdClient client, string pathPrefix) : IObjectStorage
{
    private readonly string _prefix = pathPrefix.TrimEnd('/');

    public EtcdClient Client => client;

    /// <summary>Called after each store call with its key's resource and duration (for the etcd_request_duration_seconds metric).</summary>
    public Action<string, TimeSpan>? ObserveCall { get; set; }

    public async Task<JsonObject> CreateAsync(string key, JsonObject obj, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        if (ObjectMetadata.ResourceVersion(obj) is { Length: > 0 })
        {
            throw new ArgumentException("resourceVersion should not be set on objects to be created", nameof(obj));
        }

        var response = await CallAsync(key, () => client.Txn()
            .If(Cmp.ModRevision(fullKey).Equal(0))
            .Then(Op.Put(ByteString.CopyFromUtf8(fullKey), Encode(obj)))
            .CommitAsync(cancellationToken)).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw new StorageException(StorageErrorCode.KeyExists, key, $"key {key} already exists");
        }

        var created = obj.DeepClone().AsObject();
        ObjectMetadata.SetResourceVersion(created, response.Header.Revision);
        return created;
    }

    public async Task<JsonObject?> GetAsync(string key, ReadOptions options, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(key, () => client.GetAsync(FullKey(key), cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (response.Kvs.Count == 0)
        {
            return null;
        }

        var found = Decode(key, response.Kvs[0]);
        if (ObjectMetadata.TryParseResourceVersion(options.ResourceVersion, out var minimum) && minimum > response.Header.Revision)
        {
            throw TooLarge(key, minimum, response.Header.Revision);
        }

        return found;
    }

    public async Task<ObjectList> GetListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        var listPrefix = FullKey(DirectoryOf(prefix));
        var rangeEnd = EtcdKeys.PrefixEnd(ByteString.CopyFromUtf8(listPrefix));
        var start = listPrefix;
        long readRevision = 0;
        long minimumRevision = 0;
        if (!string.IsNullOrEmpty(options.Continue))
        {
            if (!ContinueToken.TryDecode(options.Continue, out var token))
            {
                throw new StorageException(StorageErrorCode.InvalidContinue, prefix, "continue key is not valid: the token could not be decoded");
            }

            readRevision = token.ResourceVersion;
            start = listPrefix + token.StartKey;
        }
        else if (!string.IsNullOrEmpty(options.ResourceVersion))
        {
            if (!ObjectMetadata.TryParseResourceVersion(options.ResourceVersion, out var requested))
            {
                throw new ArgumentException($"invalid resource version: {options.ResourceVersion}", nameof(options));
            }

            var exact = options.ResourceVersionMatch == ResourceVersionMatch.Exact
                || (options.ResourceVersionMatch == ResourceVersionMatch.Unset && options.Limit > 0 && requested > 0);
            if (exact && requested > 0)
            {
                readRevision = requested;
            }
            else
            {
                minimumRevision = requested;
            }
        }

        var items = new List<JsonObject>();
        string? lastKey = null;
        long? remaining = null;
        var more = false;
        // With a filter, a page of the store may hold fewer matches than the limit: read on, in
        // pages at the same revision, until the limit is met (the way Kubernetes' etcd3 store does).
        var pageSize = options.Limit > 0 ? Math.Max(options.Limit, options.Predicate is null ? options.Limit : 100) : 0;
        while (true)
        {
            var page = await CallAsync(prefix, () => client.GetAsync(ByteString.CopyFromUtf8(start), new GetOptions
            {
                RangeEnd = rangeEnd,
                Limit = pageSize,
                Revision = readRevision,
            }, cancellationToken), options.Continue is not null).ConfigureAwait(false);
            if (readRevision == 0)
            {
                readRevision = page.Header.Revision;
            }

            var pageFilled = false;
            foreach (var kv in page.Kvs)
            {
                lastKey = kv.Key.ToStringUtf8();
                var obj = Decode(lastKey, kv);
                if (options.Predicate is null || options.Predicate(obj))
                {
                    items.Add(obj);
                }

                if (options.Limit > 0 && items.Count >= options.Limit)
                {
                    pageFilled = true;
                    more = !ReferenceEquals(kv, page.Kvs[^1]) || page.More;
                    if (options.Predicate is null && more)
                    {
                        remaining = page.Count - page.Kvs.IndexOf(kv) - 1;
                    }

                    break;
                }
            }

            if (pageFilled || !page.More || lastKey is null)
            {
                break;
            }

            start = lastKey + "\0";
        }

        if (minimumRevision > readRevision)
        {
            throw TooLarge(prefix, minimumRevision, readRevision);
        }

        string? next = null;
        if (more && lastKey is not null)
        {
            next = new ContinueToken(readRevision, lastKey[listPrefix.Length..] + "\0").Encode();
        }

        return new ObjectList(items, readRevision, next, remaining is > 0 ? remaining : null);
    }

    public Task<JsonObject> GuaranteedUpdateAsync(string key, Preconditions? preconditions, bool ignoreNotFound,
        Func<JsonObject?, JsonObject> tryUpdate, CancellationToken cancellationToken = default)
        => GuaranteedUpdateAsync(key, preconditions, ignoreNotFound, tryUpdate, cachedExisting: null, cancellationToken);

    /// <summary>
    /// <see cref="GuaranteedUpdateAsync(string, Preconditions?, bool, Func{JsonObject?, JsonObject}, CancellationToken)"/>,
    /// starting from <paramref name="cachedExisting"/> (the watch cache's copy, with its resourceVersion; owned by this
    /// call) instead of a read of the store, as Kubernetes' etcd3 store does with the cacher's hint. The cached copy may be
    /// stale: then the compare-and-swap fails and its else-branch reads the current object. An update that fails, or
    /// that changes nothing, on the cached copy is decided again on the object read from the store.
    /// </summary>
    public async Task<JsonObject> GuaranteedUpdateAsync(string key, Preconditions? preconditions, bool ignoreNotFound,
        Func<JsonObject?, JsonObject> tryUpdate, JsonObject? cachedExisting, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        var state = cachedExisting is not null && ObjectMetadata.TryParseResourceVersion(ObjectMetadata.ResourceVersion(cachedExisting), out var cachedRevision)
            ? new UpdateState(cachedExisting, null, cachedRevision, IsCurrent: false)
            : await ReadUpdateStateAsync(key, fullKey, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var existing = state.Object;
            ByteString? existingValue = null;
            JsonObject updated;
            try
            {
                if (existing is null && !ignoreNotFound)
                {
                    throw NotFound(key);
                }

                if (existing is not null)
                {
                    CheckPreconditions(key, preconditions, existing);
                    // Encoded before tryUpdate, which is handed the object itself: it is this attempt's own (decoded
                    // for it, or the cache's copy given to this call), so copying it first only cost a deep clone.
                    existingValue = state.Value ?? Encode(existing);
                }

                updated = tryUpdate(existing);
            }
            catch (Exception) when (!state.IsCurrent)
            {
                state = await ReadUpdateStateAsync(key, fullKey, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var value = Encode(updated);
            if (existingValue is not null && existingValue.Equals(value))
            {
                if (!state.IsCurrent)
                {
                    // A no-op on the cached copy is a no-op only if that copy is still what is stored.
                    state = await ReadUpdateStateAsync(key, fullKey, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // tryUpdate may have changed its argument in place: the object as stored comes from the stored bytes.
                return Decode(key, existingValue, state.ModRevision);
            }

            var response = await CallAsync(key, () => client.Txn()
                .If(Cmp.ModRevision(fullKey).Equal(state.ModRevision))
                .Then(Op.Put(ByteString.CopyFromUtf8(fullKey), value))
                .Else(Op.Get(fullKey))
                .CommitAsync(cancellationToken)).ConfigureAwait(false);
            if (response.Succeeded)
            {
                // updated came from tryUpdate for this attempt alone: nobody else holds it.
                ObjectMetadata.SetResourceVersion(updated, response.Header.Revision);
                return updated;
            }

            var reread = response.Responses[0].ResponseRange;
            state = UpdateState.Of(key, reread.Kvs.Count > 0 ? reread.Kvs[0] : null);
        }
    }

    private async Task<UpdateState> ReadUpdateStateAsync(string key, string fullKey, CancellationToken cancellationToken)
    {
        var current = await CallAsync(key, () => client.GetAsync(fullKey, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return UpdateState.Of(key, current.Kvs.Count > 0 ? current.Kvs[0] : null);
    }

    /// <summary>
    /// The object an update starts from: Value and ModRevision as stored (Value null when it comes from the cache),
    /// IsCurrent when read from the store in this update rather than taken from the cache.
    /// </summary>
    private sealed record UpdateState(JsonObject? Object, ByteString? Value, long ModRevision, bool IsCurrent)
    {
        public static UpdateState Of(string key, KeyValue? kv)
            => kv is null ? new UpdateState(null, null, 0, IsCurrent: true) : new UpdateState(Decode(key, kv), kv.Value, kv.ModRevision, IsCurrent: true);
    }

    public async Task<JsonObject> DeleteAsync(string key, Preconditions? preconditions, Action<JsonObject>? validateDeletion = null,
        CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        var current = await CallAsync(key, () => client.GetAsync(fullKey, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var kv = current.Kvs.Count > 0 ? current.Kvs[0] : null;
        while (true)
        {
            if (kv is null)
            {
                throw NotFound(key);
            }

            var existing = Decode(key, kv);
            CheckPreconditions(key, preconditions, existing);
            validateDeletion?.Invoke(existing);
            var response = await CallAsync(key, () => client.Txn()
                .If(Cmp.ModRevision(fullKey).Equal(kv.ModRevision))
                .Then(Op.Delete(fullKey))
                .Else(Op.Get(fullKey))
                .CommitAsync(cancellationToken)).ConfigureAwait(false);
            if (response.Succeeded)
            {
                return existing;
            }

            var reread = response.Responses[0].ResponseRange;
            kv = reread.Kvs.Count > 0 ? reread.Kvs[0] : null;
        }
    }

    public async Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(prefix, () => client.GetAsync(FullKey(DirectoryOf(prefix)), new GetOptions { Prefix = true, CountOnly = true }, cancellationToken)).ConfigureAwait(false);
        return response.Count;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The store's current revision (a quorum read of nothing).</summary>
    public async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("/", () => client.GetAsync(FullKey("/"), new GetOptions { CountOnly = true }, cancellationToken)).ConfigureAwait(false);
        return response.Header.Revision;
    }

    internal string FullKey(string key) => key.StartsWith('/') ? _prefix + key : $"{_prefix}/{key}";

    internal static string DirectoryOf(string prefix) => prefix.EndsWith('/') ? prefix : prefix + "/";

    internal static ByteString Encode(JsonObject obj)
    {
        // The resourceVersion is the key's mod_revision; storing it would make it stale at once. Written around those
        // fields rather than removed from a deep copy: the same bytes, without copying every object written.
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in obj)
            {
                writer.WritePropertyName(name);
                if (name == "metadata" && value is JsonObject metadata)
                {
                    writer.WriteStartObject();
                    foreach (var (field, fieldValue) in metadata)
                    {
                        if (field is not ("resourceVersion" or "selfLink"))
                        {
                            writer.WritePropertyName(field);
                            WriteValue(writer, fieldValue);
                        }
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    WriteValue(writer, value);
                }
            }

            writer.WriteEndObject();
        }

        // The buffer is this call's alone and never written again.
        return UnsafeByteOperations.UnsafeWrap(buffer.WrittenMemory);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    internal static JsonObject Decode(string key, KeyValue kv) => Decode(key, kv.Value, kv.ModRevision);

    internal static JsonObject Decode(string key, ByteString value, long revision)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(value.Span);
        }
        catch (JsonException e)
        {
            throw new StorageException(StorageErrorCode.InvalidObject, key, $"the value stored at {key} is not valid JSON: {e.Message}", e);
        }

        if (node is not JsonObject obj)
        {
            throw new StorageException(StorageErrorCode.InvalidObject, key, $"the value stored at {key} is not a JSON object");
        }

        ObjectMetadata.SetResourceVersion(obj, revision);
        return obj;
    }

    private static void CheckPreconditions(string key, Preconditions? preconditions, JsonObject existing)
    {
        if (preconditions is null)
        {
            return;
        }

        if (preconditions.Uid is { } uid && ObjectMetadata.Uid(existing) != uid)
        {
            throw new StorageException(StorageErrorCode.Conflict, key,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMetadata.Uid(existing)}");
        }

        if (preconditions.ResourceVersion is { } rv && ObjectMetadata.ResourceVersion(existing) != rv)
        {
            throw new StorageException(StorageErrorCode.Conflict, key,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMetadata.ResourceVersion(existing)}");
        }
    }

    private static StorageException NotFound(string key) => new(StorageErrorCode.KeyNotFound, key, $"key {key} not found");

    private static StorageException TooLarge(string key, long requested, long current)
        => new(StorageErrorCode.ResourceVersionTooLarge, key,
            $"Too large resource version: {requested.ToString(CultureInfo.InvariantCulture)}, current: {current.ToString(CultureInfo.InvariantCulture)}")
        { CurrentRevision = current };

    /// <summary>Runs one etcd call, turning the store's failures into storage errors.</summary>
    private async Task<T> CallAsync<T>(string key, Func<Task<T>> call, bool continuing = false)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.IsCompacted || e is EtcdCompactedException)
        {
            throw new StorageException(StorageErrorCode.ResourceVersionExpired, key, continuing
                ? "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."
                : "The resourceVersion for the provided list is too old.", e);
        }
        catch (EtcdException e) when (e.IsFutureRevision)
        {
            throw new StorageException(StorageErrorCode.ResourceVersionTooLarge, key, "Too large resource version", e);
        }
        catch (EtcdException e) when (e.IsUnavailable || e.IsDeadlineExceeded)
        {
            throw new StorageException(StorageErrorCode.Unavailable, key, $"the store is unavailable: {e.Detail}", e);
        }
        finally
        {
            ObserveCall?.Invoke(key.TrimStart('/').Split('/')[0], System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }
}
