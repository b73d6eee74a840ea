using MiniKube.Api.Apps;
using MiniKube.Api.Meta;
using MiniKube.Client;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>getReplicaSetsForDeployment and its ReplicaSetControllerRefManager: which ReplicaSets a Deployment
/// owns, adopting orphans its selector matches and releasing owned ones it no longer matches.</summary>
public sealed partial class DeploymentController
{
    private async Task<List<ReplicaSet>> GetReplicaSetsForDeploymentAsync(DeploymentObject d, CancellationToken cancellationToken)
    {
        var selector = SelectorOf(d)
            ?? throw new InvalidOperationException($"deployment {d.Metadata?.Namespace}/{d.Metadata?.Name} has invalid label selector");
        var uid = d.Metadata?.Uid;
        var claimed = new List<ReplicaSet>();
        bool? canAdopt = null;
        foreach (var rs in _replicaSets.Lister.List(d.Metadata?.Namespace ?? ""))
        {
            var matches = selector.Matches(rs.Metadata?.Labels);
            var controllerRef = ControllerRefOf(rs.Metadata);
            if (controllerRef is not null)
            {
                if (controllerRef.Uid != uid)
                {
                    continue;
                }

                if (matches)
                {
                    claimed.Add(rs);
                }
                else if (d.Metadata?.DeletionTimestamp is null)
                {
                    await ReleaseAsync(rs, uid!, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (d.Metadata?.DeletionTimestamp is not null || !matches || rs.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            // RecheckDeletionTimestamp: adopt only for the Deployment as it is now, not a cached ghost of it.
            canAdopt ??= await CanAdoptAsync(d, cancellationToken).ConfigureAwait(false);
            if (canAdopt != true)
            {
                continue;
            }

            var adopted = await AdoptAsync(d, rs, cancellationToken).ConfigureAwait(false);
            if (adopted is not null)
            {
                claimed.Add(adopted);
            }
        }

        return claimed;
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

    private async Task<ReplicaSet?> AdoptAsync(DeploymentObject d, ReplicaSet rs, CancellationToken cancellationToken)
    {
        var copy = DeploymentUtil.DeepCopy(rs);
        copy.Metadata!.OwnerReferences = [.. copy.Metadata.OwnerReferences ?? [], NewControllerRef(d)];
        try
        {
            return await _client.UpdateAsync(copy, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private async Task ReleaseAsync(ReplicaSet rs, string ownerUid, CancellationToken cancellationToken)
    {
        var copy = DeploymentUtil.DeepCopy(rs);
        copy.Metadata!.OwnerReferences = [.. (copy.Metadata.OwnerReferences ?? []).Where(r => r.Uid != ownerUid)];
        try
        {
            await _client.UpdateAsync(copy, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Gone already: nothing left to release.
        }
    }

    internal static OwnerReference NewControllerRef(DeploymentObject d) => new()
    {
        ApiVersion = ControllerApiVersion,
        Kind = ControllerKind,
        Name = d.Metadata?.Name,
        Uid = d.Metadata?.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
