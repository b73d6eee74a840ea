namespace MiniKube.Cli.Cluster;

/// <summary>What <c>mkctl status</c> found: every component, and the store members that say they lead.</summary>
public sealed record ClusterStatus(string Directory, IReadOnlyList<ComponentStatus> Components, IReadOnlyList<string> StoreLeaders)
{
    public bool AllRunning => Components.All(c => c.Running);
}
