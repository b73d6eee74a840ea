using System.Collections.Concurrent;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Registry;

/// <summary>
/// The NamespaceLifecycle admission rule: namespaced objects may be created only in a namespace
/// that exists and is not being terminated. As Kubernetes' plugin does, it reads the namespace from
/// the watch cache (a store round trip per create otherwise), looks it up live when the cache does
/// not have it yet, and for a while after a namespace's DELETE always looks it up live, so a create
/// right after the DELETE cannot slip past a cache that has not seen the deletion yet.
/// </summary>
public sealed class NamespaceLookup(IObjectStorage namespaces, TimeProvider clock)
{
    /// <summary>Kubernetes' forceLiveLookupTTL.</summary>
    private static readonly TimeSpan ForceLiveLookupTtl = TimeSpan.FromSeconds(30);

    private static readonly ReadOptions FromCache = new("0");

    private readonly ConcurrentDictionary<string, DateTimeOffset> _liveLookupUntil = new(StringComparer.Ordinal);

    public async Task RequireWritableAsync(string ns, CancellationToken cancellationToken)
    {
        var key = $"/namespaces/{ns}";
        var found = LiveLookupForced(ns) ? null : await namespaces.GetAsync(key, FromCache, cancellationToken).ConfigureAwait(false);
        found ??= await namespaces.GetAsync(key, ReadOptions.Latest, cancellationToken).ConfigureAwait(false)
            ?? throw ApiException.NotFound("", "namespaces", ns);
        if (found["status"]?["phase"]?.ToString() == "Terminating" || ResourceStore.IsDeleting(found))
        {
            throw new ApiException(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    /// <summary>Called when a namespace's deletion is requested, before it is written.</summary>
    public void ForceLiveLookup(string ns) => _liveLookupUntil[ns] = clock.GetUtcNow() + ForceLiveLookupTtl;

    private bool LiveLookupForced(string ns)
    {
        if (!_liveLookupUntil.TryGetValue(ns, out var until))
        {
            return false;
        }

        if (clock.GetUtcNow() < until)
        {
            return true;
        }

        _liveLookupUntil.TryRemove(KeyValuePair.Create(ns, until));
        return false;
    }
}
