using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Registry;

/// <summary>
/// The NamespaceLifecycle admission rule: namespaced objects may be created only in a namespace
/// that exists and is not being terminated.
/// </summary>
public sealed class NamespaceLookup(IObjectStorage namespaces)
{
    public async Task RequireWritableAsync(string ns, CancellationToken cancellationToken)
    {
        var found = await namespaces.GetAsync($"/namespaces/{ns}", ReadOptions.Latest, cancellationToken).ConfigureAwait(false)
            ?? throw ApiException.NotFound("", "namespaces", ns);
        if (found["status"]?["phase"]?.ToString() == "Terminating" || ResourceStore.IsDeleting(found))
        {
            throw new ApiException(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }
}
