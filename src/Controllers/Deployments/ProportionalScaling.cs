using MiniKube.Api.Apps;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Deployments;

/// <summary>
/// The proportional part of sync.go's scale: when a Deployment's size changes while several ReplicaSets have
/// pods, the difference between (replicas + maxSurge) and what they have now is spread over them in proportion
/// to their size, and whatever rounding leaves over goes to the first (largest) one.
/// </summary>
public static class ProportionalScaling
{
    /// <summary>The sizes to write: <paramref name="Order"/> is the order to write them in, <paramref name="Operation"/>
    /// "up", "down" or "" (nothing to add).</summary>
    public sealed record Result(IReadOnlyList<ReplicaSet> Order, IReadOnlyDictionary<string, int> NewSizes, string Operation);

    public static Result Plan(DeploymentObject d, IReadOnlyList<ReplicaSet> activeRss)
    {
        var replicas = DeploymentUtil.Replicas(d);
        var current = DeploymentUtil.ReplicaCount(activeRss);
        var allowedSize = replicas > 0 ? replicas + DeploymentUtil.MaxSurge(d) : 0;
        var toAdd = allowedSize - current;
        var (order, operation) = toAdd switch
        {
            > 0 => (DeploymentUtil.BySizeNewer(activeRss), "up"),
            < 0 => (DeploymentUtil.BySizeOlder(activeRss), "down"),
            _ => (activeRss.ToList(), ""),
        };

        var sizes = new Dictionary<string, int>();
        var added = 0;
        foreach (var rs in order)
        {
            var proportion = toAdd != 0 ? DeploymentUtil.GetProportion(rs, d, toAdd, added) : 0;
            sizes[rs.Metadata!.Name!] = DeploymentUtil.Replicas(rs) + proportion;
            added += proportion;
        }

        if (toAdd != 0 && order.Count > 0)
        {
            var first = order[0].Metadata!.Name!;
            sizes[first] = Math.Max(0, sizes[first] + toAdd - added);
        }

        return new Result(order, sizes, operation);
    }
}
