namespace MiniKube.Scheduler.Framework;

/// <summary>A filter (framework.FilterPlugin): may the pod run on the node? Called on the scheduling thread only.</summary>
public interface IFilterPlugin
{
    string Name { get; }

    /// <summary>Null when the node fits; otherwise why not, as the reasons Kubernetes counts in "0/N nodes are available".</summary>
    IReadOnlyList<string>? Filter(PodInfo pod, NodeInfo node);
}
