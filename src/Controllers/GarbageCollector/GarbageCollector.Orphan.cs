namespace MiniKube.Controllers.GarbageCollector;

/// <summary>The attemptToOrphan worker (k8s' attemptToOrphanWorker / orphanDependents).</summary>
public sealed partial class GarbageCollector
{
    private async Task AttemptToOrphanItemAsync(string uid, CancellationToken cancellationToken)
    {
        GraphNode owner;
        List<GraphNode> dependents;
        lock (_graph)
        {
            if (!_uidToNode.TryGetValue(uid, out var node) || !node.Observed)
            {
                return;
            }

            owner = new GraphNode(uid) { ApiVersion = node.ApiVersion, Kind = node.Kind, Namespace = node.Namespace, Name = node.Name };
            dependents = [.. node.Dependents.Where(d => d.Observed).Select(d => new GraphNode(d.Uid)
            {
                ApiVersion = d.ApiVersion,
                Kind = d.Kind,
                Namespace = d.Namespace,
                Name = d.Name,
            })];
        }

        await Task.WhenAll(dependents.Select(d =>
            RemoveOwnerReferencesAsync(ResourceOf(d.ApiVersion, d.Kind), d.Namespace, d.Name, d.Uid, [uid], cancellationToken))).ConfigureAwait(false);
        await RemoveFinalizerAsync(ResourceOf(owner.ApiVersion, owner.Kind), owner.Namespace, owner.Name, uid, OrphanFinalizer, cancellationToken).ConfigureAwait(false);
    }
}
