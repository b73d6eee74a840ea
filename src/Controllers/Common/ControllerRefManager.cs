using System.Text.Json.Nodes;
using MiniKube.Api.Meta;
using MiniKube.Api.Selectors;
using MiniKube.Client;

namespace MiniKube.Controllers.Common;

/// <summary>
/// Adoption and release of objects by a controller (k8s' BaseControllerRefManager.ClaimObject, as its
/// PodControllerRefManager claims a ReplicaSet's pods and its ReplicaSetControllerRefManager a Deployment's
/// ReplicaSets): a controller owns the objects whose controller reference is its uid and that its selector still
/// matches; it adopts orphans its selector matches (after checking, once, that it is not being deleted) and releases
/// owned objects its selector no longer matches. Both are strategic-merge patches of metadata.ownerReferences
/// carrying the object's uid, as in Kubernetes, so an object recreated under the same name is never touched.
/// </summary>
public sealed class ControllerRefManager<T>(KubeClient client, IKubernetesObject controller, string controllerApiVersion, string controllerKind,
    Selector selector, Func<CancellationToken, Task<bool>> canAdopt)
    where T : class, IKubernetesObject
{
    private readonly string _uid = controller.Metadata?.Uid ?? "";
    private bool? _canAdopt;

    /// <summary>The objects this controller owns after adopting and releasing; <paramref name="objects"/> are cache
    /// objects and are not changed. The errors of all claims, if any, are thrown together once every object was tried.</summary>
    public async Task<List<T>> ClaimAsync(IEnumerable<T> objects, CancellationToken cancellationToken)
    {
        var claimed = new List<T>();
        var errors = new List<Exception>();
        foreach (var obj in objects)
        {
            try
            {
                if (await ClaimAsync(obj, cancellationToken).ConfigureAwait(false))
                {
                    claimed.Add(obj);
                }
            }
            catch (KubeApiException e)
            {
                errors.Add(e);
            }
        }

        return errors.Count == 0 ? claimed : throw new AggregateException(errors);
    }

    private async Task<bool> ClaimAsync(T obj, CancellationToken cancellationToken)
    {
        var matches = selector.Matches(obj.Metadata?.Labels);
        var controllerRef = ControllerRefs.GetControllerOf(obj.Metadata);
        if (controllerRef is not null)
        {
            if (controllerRef.Uid != _uid)
            {
                return false;
            }

            if (matches)
            {
                return true;
            }

            if (controller.Metadata?.DeletionTimestamp is not null)
            {
                return false;
            }

            await PatchOwnerReferencesAsync(obj, new JsonObject { ["$patch"] = "delete", ["uid"] = _uid }, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (controller.Metadata?.DeletionTimestamp is not null || !matches || obj.Metadata?.DeletionTimestamp is not null
            || obj.Metadata?.Namespace != controller.Metadata?.Namespace)
        {
            return false;
        }

        _canAdopt ??= await canAdopt(cancellationToken).ConfigureAwait(false);
        if (_canAdopt != true)
        {
            return false;
        }

        var reference = ControllerRefs.NewControllerRef(controller, controllerApiVersion, controllerKind);
        return await PatchOwnerReferencesAsync(obj, new JsonObject
        {
            ["apiVersion"] = reference.ApiVersion,
            ["kind"] = reference.Kind,
            ["name"] = reference.Name,
            ["uid"] = reference.Uid,
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>False when the object is gone already (nothing left to adopt or release).</summary>
    private async Task<bool> PatchOwnerReferencesAsync(T obj, JsonObject reference, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray(reference), ["uid"] = obj.Metadata?.Uid },
        };
        try
        {
            await client.PatchAsync<T>(obj.Metadata?.Namespace, obj.Metadata?.Name ?? "", PatchType.StrategicMerge, patch.ToJsonString(),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
