using MiniKube.Api.Apps;

namespace MiniKube.Controllers.Deployments;

/// <summary>cleanupDeployment's choice: which old ReplicaSets are beyond revisionHistoryLimit and may go.</summary>
public static class RevisionHistory
{
    /// <summary>The lowest-revision old ReplicaSets beyond <paramref name="limit"/>, skipping any that still have
    /// replicas (wanted or running), whose last change their controller has not yet observed, or that are already
    /// being deleted.</summary>
    public static List<ReplicaSet> ToDelete(IEnumerable<ReplicaSet> oldRss, int limit)
    {
        var cleanable = DeploymentUtil.ByRevision(oldRss.Where(rs => rs.Metadata?.DeletionTimestamp is null));
        var diff = cleanable.Count - limit;
        var doomed = new List<ReplicaSet>();
        for (var i = 0; i < diff; i++)
        {
            var rs = cleanable[i];
            if ((rs.Status?.Replicas ?? 0) != 0 || DeploymentUtil.Replicas(rs) != 0
                || (rs.Metadata?.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }

            doomed.Add(rs);
        }

        return doomed;
    }
}
