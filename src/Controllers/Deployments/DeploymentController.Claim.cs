using MiniKube.Api.Apps;
using MiniKube.Api.Meta;
using MiniKube.Controllers.Common;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>getReplicaSetsForDeployment: which ReplicaSets a Deployment owns, adopting orphans its selector matches
/// and releasing owned ones it no longer matches (k8s' ReplicaSetControllerRefManager, here the common
/// <see cref="ControllerRefManager{T}"/>).</summary>
public sealed partial class DeploymentController
{
    private async Task<List<ReplicaSet>> GetReplicaSetsForDeploymentAsync(DeploymentObject d, CancellationToken cancellationToken)
    {
        var selector = SelectorOf(d)
            ?? throw new InvalidOperationException($"deployment {d.Metadata?.Namespace}/{d.Metadata?.Name} has invalid label selector");
        // RecheckDeletionTimestamp: adopt only for the Deployment as it is now, not a cached ghost of it.
        var manager = new ControllerRefManager<ReplicaSet>(_client, d, ControllerApiVersion, ControllerKind, selector, ct => CanAdoptAsync(d, ct));
        return await manager.ClaimAsync(_replicaSets.Lister.List(d.Metadata?.Namespace ?? ""), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> CanAdoptAsync(DeploymentObject d, CancellationToken cancellationToken)
    {
        var fresh = await _client.GetAsync<DeploymentObject>(d.Metadata?.Namespace, d.Metadata?.Name ?? "", cancellationToken).ConfigureAwait(false);
        if (fresh.Metadata?.Uid != d.Metadata?.Uid)
        {
            throw new InvalidOperationException(
                $"original Deployment {d.Metadata?.Namespace}/{d.Metadata?.Name} is gone: got uid {fresh.Metadata?.Uid}, wanted {d.Metadata?.Uid}");
        }

        return fresh.Metadata?.DeletionTimestamp is null;
    }

    internal static OwnerReference NewControllerRef(DeploymentObject d) => ControllerRefs.NewControllerRef(d, ControllerApiVersion, ControllerKind);
}
