using System.Globalization;

namespace MiniKube.Scheduler.Framework;

/// <summary>Why no node fits a pod (framework.FitError): how many nodes gave each reason.</summary>
public sealed class FitError(int numAllNodes, IReadOnlyDictionary<string, int> reasons)
{
    /// <summary>ErrNoNodesAvailable's message, for a cluster with no nodes at all.</summary>
    public const string NoNodesAvailableMessage = "no nodes available to schedule pods";

    public int NumAllNodes { get; } = numAllNodes;

    public IReadOnlyDictionary<string, int> Reasons { get; } = reasons;

    /// <summary>"0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu." — counts before reasons, sorted as strings, as Kubernetes does.</summary>
    public string Message
    {
        get
        {
            if (NumAllNodes == 0)
            {
                return NoNodesAvailableMessage;
            }

            var counted = Reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value} {r.Key}")).ToList();
            counted.Sort(StringComparer.Ordinal);
            return string.Create(CultureInfo.InvariantCulture, $"0/{NumAllNodes} nodes are available: {string.Join(", ", counted)}.");
        }
    }

    public override string ToString() => Message;
}
