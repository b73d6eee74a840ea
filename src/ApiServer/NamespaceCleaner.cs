using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer;

/// <summary>
/// The namespace controller's job, done inside the apiserver for now: a namespace being deleted
/// (Terminating) has everything in it deleted; once nothing is left, its "kubernetes" finalizer is
/// removed and the namespace goes.
/// </summary>
public static class NamespaceCleaner
{
    public static async Task RunAsync(ResourceRegistry registry, ILogger logger, CancellationToken cancellationToken)
    {
        var namespaces = registry.Get("", "namespaces");
        var pending = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await namespaces.ListAsync(null, ListOptions.Everything, cancellationToken).ConfigureAwait(false);
                foreach (var ns in list.Items.Where(ResourceStore.IsDeleting))
                {
                    await CleanAsync(registry, namespaces, ObjectMetadata.Name(ns)!, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is ApiException or StorageException)
            {
                logger.LogWarning("namespace cleanup failed, will retry: {Error}", e.Message);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        _ = pending;
    }

    private static async Task CleanAsync(ResourceRegistry registry, ResourceStore namespaces, string name, CancellationToken cancellationToken)
    {
        var remaining = 0;
        foreach (var store in registry.Stores.Where(s => s.Resource.Namespaced))
        {
            var list = await store.ListAsync(name, ListOptions.Everything, cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items)
            {
                remaining++;
                if (!ResourceStore.IsDeleting(item) || store.Resource.Plural == "pods")
                {
                    try
                    {
                        await store.DeleteAsync(name, ObjectMetadata.Name(item)!, new DeleteRequest(GracePeriodSeconds: 0), cancellationToken).ConfigureAwait(false);
                    }
                    catch (ApiException e) when (e.Code is 404 or 409)
                    {
                    }
                }
            }
        }

        if (remaining > 0)
        {
            return;
        }

        try
        {
            await namespaces.UpdateAsync(null, name, UpdateKind.Internal, current =>
            {
                if (current is null)
                {
                    throw ApiException.NotFound("", "namespaces", name);
                }

                if (current["spec"] is System.Text.Json.Nodes.JsonObject spec)
                {
                    spec.Remove("finalizers");
                }

                return current;
            }, WriteOptions.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }
}
