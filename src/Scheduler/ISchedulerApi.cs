using MiniKube.Api.Core;

namespace MiniKube.Scheduler;

/// <summary>What the scheduler writes to the cluster; the seam that lets the scheduling core run without an apiserver (unit tests, the benchmark).</summary>
public interface ISchedulerApi
{
    /// <summary>POST pods/{name}/binding.</summary>
    Task BindAsync(Pod pod, string nodeName, CancellationToken cancellationToken);

    /// <summary>Sets (adds or replaces by type) a condition through the status subresource.</summary>
    Task UpdatePodConditionAsync(Pod pod, PodCondition condition, CancellationToken cancellationToken);

    /// <summary>Records an Event about the pod; never throws.</summary>
    Task RecordEventAsync(Pod pod, string type, string reason, string message);
}
