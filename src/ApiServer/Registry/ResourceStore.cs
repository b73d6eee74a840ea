using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Validation;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Registry;

/// <summary>
/// The generic REST store of one resource (Kubernetes' genericregistry.Store): create, get, list,
/// watch, update, delete on top of <see cref="IObjectStorage"/>, applying the object semantics every
/// kind shares (names, generateName, uid, timestamps, resourceVersion checks, graceful deletion,
/// finalizers) and the kind's own rules through its <see cref="IResourceStrategy"/>.
/// Errors are <see cref="ApiException"/>s carrying the Status the client gets.
/// </summary>
public sealed partial class ResourceStore(RestResource resource, IObjectStorage storage, NamespaceLookup namespaces, TimeProvider clock)
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public RestResource Resource => resource;

    public IObjectStorage Storage => storage;

    public async Task<JsonObject> CreateAsync(string? ns, JsonObject obj, WriteOptions options, CancellationToken cancellationToken)
    {
        obj = PrepareIncoming(ns, obj, options, nameFromUrl: null);
        var metadata = ObjectMetadata.Of(obj);
        if (ObjectMetadata.Name(obj) is not { Length: > 0 })
        {
            if (ObjectMetadata.GetString(obj, "generateName") is { Length: > 0 } generateName)
            {
                metadata["name"] = generateName + RandomSuffix();
            }
        }

        if (ObjectMetadata.ResourceVersion(obj) is { Length: > 0 })
        {
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Rfc3339(clock.GetUtcNow());
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        resource.Strategy.PrepareForCreate(obj);
        ValidateOrThrow(obj, null);
        if (resource.Namespaced)
        {
            await namespaces.RequireWritableAsync(ns!, cancellationToken).ConfigureAwait(false);
        }

        if (options.DryRun)
        {
            return obj;
        }

        try
        {
            return await storage.CreateAsync(resource.KeyFor(ns, ObjectMetadata.Name(obj)!), obj, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw Translate(e, ObjectMetadata.Name(obj)!);
        }
    }

    public async Task<JsonObject> GetAsync(string? ns, string name, string? resourceVersion, CancellationToken cancellationToken)
    {
        JsonObject? found;
        try
        {
            found = await storage.GetAsync(resource.KeyFor(ns, name), new ReadOptions(resourceVersion), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw Translate(e, name);
        }

        return found ?? throw ApiException.NotFound(resource.Group, resource.Plural, name);
    }

    public async Task<ObjectList> ListAsync(string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.GetListAsync(resource.PrefixFor(ns), options, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw Translate(e, "");
        }
    }

    public async Task<IObjectWatch> WatchAsync(string? ns, string? name, WatchOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return name is null
                ? await storage.WatchAsync(resource.PrefixFor(ns), options with { Recursive = true }, cancellationToken).ConfigureAwait(false)
                : await storage.WatchAsync(resource.KeyFor(ns, name), options with { Recursive = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw Translate(e, name ?? "");
        }
    }

    /// <summary>
    /// Replaces the object (PUT), or applies <paramref name="mutate"/> to the current object
    /// (PATCH, subresources): either way through one compare-and-swap loop. Returns the stored
    /// object and whether it was created; a missing object is created only where the kind allows
    /// it or <paramref name="createIfMissing"/> says so (server-side apply).
    /// </summary>
    public async Task<(JsonObject Object, bool Created)> UpdateAsync(string? ns, string name, UpdateKind kind, Func<JsonObject?, JsonObject> mutate,
        WriteOptions options, CancellationToken cancellationToken, bool createIfMissing = false)
    {
        var created = false;
        var key = resource.KeyFor(ns, name);
        var mayCreate = (resource.Strategy.AllowCreateOnUpdate || createIfMissing) && kind == UpdateKind.Main;
        if (mayCreate && resource.Namespaced)
        {
            // Checked before the write, since this update may create the object.
            await namespaces.RequireWritableAsync(ns!, cancellationToken).ConfigureAwait(false);
        }

        JsonObject Transform(JsonObject? existing)
        {
            var updated = mutate(existing?.DeepClone().AsObject());
            if (existing is null)
            {
                if (!mayCreate)
                {
                    throw ApiException.NotFound(resource.Group, resource.Plural, name);
                }

                created = true;
                updated = PrepareIncoming(ns, updated, options, name);
                ObjectMetadata.Of(updated).Remove("resourceVersion");
                var metadata = ObjectMetadata.Of(updated);
                metadata["uid"] = Guid.NewGuid().ToString();
                metadata["creationTimestamp"] = Rfc3339(clock.GetUtcNow());
                resource.Strategy.PrepareForCreate(updated);
                ValidateOrThrow(updated, null);
                return updated;
            }

            // The server's own writes start from the stored object: nothing to decode or default.
            if (kind != UpdateKind.Internal)
            {
                updated = PrepareIncoming(ns, updated, options, name);
                CheckResourceVersion(updated, existing, name);
            }

            CopySystemMetadata(updated, existing);
            switch (kind)
            {
                case UpdateKind.Main:
                    resource.Strategy.PrepareForUpdate(updated, existing);
                    ValidateOrThrow(updated, existing);
                    break;
                case UpdateKind.Status:
                    resource.Strategy.PrepareForStatusUpdate(updated, existing);
                    ThrowIfInvalid(updated, resource.Strategy.ValidateStatusUpdate(updated, existing));
                    break;
            }

            ObjectMetadata.Of(updated).Remove("resourceVersion");
            return updated;
        }

        JsonObject result;
        try
        {
            if (options.DryRun)
            {
                // dryRun=All: the object the update would store, nothing written.
                var existing = await storage.GetAsync(key, ReadOptions.Latest, cancellationToken).ConfigureAwait(false);
                result = Transform(existing);
                if (existing is not null)
                {
                    ObjectMetadata.SetString(result, "resourceVersion", ObjectMetadata.ResourceVersion(existing));
                }

                return (result, created);
            }

            result = await storage.GuaranteedUpdateAsync(key, null, ignoreNotFound: true, Transform, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw Translate(e, name);
        }

        // The last finalizer removed from an object being deleted: now it goes.
        if (IsDeleting(result) && PendingFinalizers(result).Count == 0 && GracePeriodOver(result))
        {
            try
            {
                await storage.DeleteAsync(key, new Preconditions(ResourceVersion: ObjectMetadata.ResourceVersion(result)), null, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException e) when (e.Code is StorageErrorCode.KeyNotFound or StorageErrorCode.Conflict)
            {
                // Someone else deleted or changed it first; their write decides.
            }
        }

        return (result, created);
    }

    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RandomSuffix()
    {
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
        }

        return new string(suffix);
    }

    /// <summary>Checks kind, apiVersion, name and namespace against the URL, then normalizes (decode + defaults).</summary>
    private JsonObject PrepareIncoming(string? ns, JsonObject obj, WriteOptions options, string? nameFromUrl)
    {
        if (obj["apiVersion"] is JsonValue apiVersion && apiVersion.ToString() != resource.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        if (obj["kind"] is JsonValue kindValue && kindValue.ToString() != resource.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kindValue}) does not match the expected kind ({resource.Kind})");
        }

        obj["apiVersion"] = resource.ApiVersion;
        obj["kind"] = resource.Kind;
        var bodyName = ObjectMetadata.Name(obj);
        if (nameFromUrl is not null)
        {
            if (bodyName is { Length: > 0 } && bodyName != nameFromUrl)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({nameFromUrl})");
            }

            ObjectMetadata.SetString(obj, "name", nameFromUrl);
        }

        if (resource.Namespaced)
        {
            var bodyNamespace = ObjectMetadata.Namespace(obj);
            if (bodyNamespace is { Length: > 0 } && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            ObjectMetadata.SetString(obj, "namespace", ns);
        }
        else
        {
            ObjectMetadata.Of(obj).Remove("namespace");
        }

        var normalized = resource.Strategy.Normalize(obj, options.StrictFields, out var unknown);
        if (unknown.Count > 0)
        {
            throw ApiException.BadRequest($"strict decoding error: {string.Join(", ", unknown.Select(f => $"unknown field \"{f}\""))}");
        }

        return normalized;
    }

    private void ValidateOrThrow(JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        var name = ObjectMetadata.Name(obj);
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }

        errors.AddRange(resource.Strategy.Validate(obj, old));
        ThrowIfInvalid(obj, errors);
    }

    private void ThrowIfInvalid(JsonObject obj, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource.Group, resource.Kind, ObjectMetadata.Name(obj) ?? "", errors);
        }
    }

    private void CheckResourceVersion(JsonObject updated, JsonObject existing, string name)
    {
        var requested = ObjectMetadata.ResourceVersion(updated);
        if (string.IsNullOrEmpty(requested))
        {
            if (!resource.Strategy.AllowUnconditionalUpdate)
            {
                throw ApiException.Invalid(resource.Group, resource.Kind, name,
                    [new FieldError(FieldError.InvalidType, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")]);
            }

            return;
        }

        if (requested != ObjectMetadata.ResourceVersion(existing))
        {
            throw ApiException.Conflict(resource.Group, resource.Plural, name, ApiException.ObjectModified);
        }
    }

    /// <summary>What the server owns in metadata: a client's update cannot change it.</summary>
    private static void CopySystemMetadata(JsonObject updated, JsonObject existing)
    {
        var target = ObjectMetadata.Of(updated);
        var source = ObjectMetadata.Of(existing);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (source[field] is { } value)
            {
                target[field] = value.DeepClone();
            }
            else
            {
                target.Remove(field);
            }
        }
    }

    internal static bool IsDeleting(JsonObject obj) => ObjectMetadata.GetString(obj, "deletionTimestamp") is not null;

    internal static List<string> Finalizers(JsonObject obj)
        => obj["metadata"]?["finalizers"] is JsonArray array ? [.. array.Select(f => f?.ToString() ?? "")] : [];

    /// <summary>What keeps an object being deleted: its finalizers, and for a namespace also spec.finalizers (emptied by the namespace cleaner).</summary>
    internal List<string> PendingFinalizers(JsonObject obj)
    {
        var pending = Finalizers(obj);
        if (resource.Group.Length == 0 && resource.Plural == "namespaces" && obj["spec"]?["finalizers"] is JsonArray specFinalizers)
        {
            pending.AddRange(specFinalizers.Select(f => f?.ToString() ?? ""));
        }

        return pending;
    }

    private static bool GracePeriodOver(JsonObject obj)
        => obj["metadata"]?["deletionGracePeriodSeconds"] is not JsonValue grace || grace.GetValue<long>() == 0;

    internal ApiException Translate(StorageException e, string name) => e.Code switch
    {
        StorageErrorCode.KeyNotFound => ApiException.NotFound(resource.Group, resource.Plural, name),
        StorageErrorCode.KeyExists => ApiException.AlreadyExists(resource.Group, resource.Plural, name),
        StorageErrorCode.Conflict => ApiException.Conflict(resource.Group, resource.Plural, name, e.Message),
        StorageErrorCode.ResourceVersionExpired => ApiException.Gone(e.Message),
        StorageErrorCode.ResourceVersionTooLarge => ApiException.Timeout(e.Message),
        StorageErrorCode.InvalidContinue => ApiException.BadRequest(e.Message),
        StorageErrorCode.Unavailable => ApiException.ServiceUnavailable(e.Message),
        _ => ApiException.Internal(e.Message),
    };
}
