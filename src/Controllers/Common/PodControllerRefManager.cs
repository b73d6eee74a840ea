using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Selectors;
using MiniKube.Client;

namespace MiniKube.Controllers.Common;

/// <summary>
/// Adoption and release of pods by a controller (k8s' PodControllerRefManager.ClaimPods): a controller owns the
/// pods whose controller reference is its uid and that its selector still matches; it adopts orphans its selector
/// matches (after checking, once, that it is not being deleted) and releases owned pods its selector no longer
/// matches. Both are strategic-merge patches of metadata.ownerReferences carrying the pod's uid, as in Kubernetes,
/// so a pod recreated under the same name is never touched.
/// </summary>
public sealed class PodControllerRefManager(KubeClient client, IKubernetesObject controller, string controllerApiVersion, string controllerKind,
    Selector selector, Func<CancellationToken, Task<bool>> canAdopt)
{
    private readonly string _uid = controller.Metadata?.Uid ?? "";
    private bool? _canAdopt;

    /// <summary>The pods this controller owns after adopting and releasing; <paramref name="pods"/> are cache objects and are not changed.</summary>
    public async Task<List<Pod>> ClaimPodsAsync(IEnumerable<Pod> pods, CancellationToken cancellationToken)
    {
        var claimed = new List<Pod>();
        var errors = new List<Exception>();
        foreach (var pod in pods)
        {
            try
            {
                if (await ClaimAsync(pod, cancellationToken).ConfigureAwait(false))
                {
                    claimed.Add(pod);
                }
            }
            catch (KubeApiException e)
            {
                errors.Add(e);
            }
        }

        return errors.Count == 0 ? claimed : throw new AggregateException(errors);
    }

    private async Task<bool> ClaimAsync(Pod pod, CancellationToken cancellationToken)
    {
        var matches = selector.Matches(pod.Metadata?.Labels);
        var controllerRef = ControllerRefs.GetControllerOf(pod.Metadata);
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

            await PatchOwnerReferencesAsync(pod, new JsonObject { ["$patch"] = "delete", ["uid"] = _uid }, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (controller.Metadata?.DeletionTimestamp is not null || !matches || pod.Metadata?.DeletionTimestamp is not null
            || pod.Metadata?.Namespace != controller.Metadata?.Namespace)
        {
            return false;
        }

        _canAdopt ??= await canAdopt(cancellationToken).ConfigureAwait(false);
        if (_canAdopt != true)
        {
            return false;
        }

        var reference = ControllerRefs.NewControllerRef(controller, controllerApiVersion, controllerKind);
        return await PatchOwnerReferencesAsync(pod, new JsonObject
        {
            ["apiVersion"] = reference.ApiVersion,
            ["kind"] = reference.Kind,
            ["name"] = reference.Name,
            ["uid"] = reference.Uid,
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>False when the pod is gone already (nothing left to adopt or release).</summary>
    private async Task<bool> PatchOwnerReferencesAsync(Pod pod, JsonObject reference, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray(reference), ["uid"] = pod.Metadata?.Uid },
        };
        try
        {
            await client.PatchAsync<Pod>(pod.Metadata?.Namespace, pod.Metadata?.Name ?? "", PatchType.StrategicMerge, patch.ToJsonString(),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
