namespace MiniKube.Cli.Bench.Scheduling;

/// <summary>The flags of <c>mkctl bench scheduler</c>.</summary>
public sealed record SchedulerBenchSettings
{
    public int Members { get; init; } = 3;

    public int Nodes { get; init; } = 1000;

    public int Pods { get; init; } = 5000;

    /// <summary>The cluster's directory; null: a fresh temporary one, removed afterwards unless <see cref="Keep"/>.</summary>
    public string? Dir { get; init; }

    /// <summary>Leave the cluster running (and its directory in place) after the measurement.</summary>
    public bool Keep { get; init; }

    /// <summary>The pods' requests: as bench e2e's, small enough that the nodes' 110-pod limit binds before cpu.</summary>
    public string CpuRequest { get; init; } = "10m";

    public string MemoryRequest { get; init; } = "16Mi";

    /// <summary>Each node's allocatable, as the node agent's simulated nodes report it.</summary>
    public string NodeCpu { get; init; } = "4";

    public string NodeMemory { get; init; } = "8Gi";

    public int NodePods { get; init; } = 110;

    /// <summary>How many creates of nodes and pods are in flight at once while the cluster is filled.</summary>
    public int CreateParallelism { get; init; } = 32;

    /// <summary>How long the store and apiserver may take to come up.</summary>
    public TimeSpan UpTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long from the scheduler's start every pod may take to be bound before the benchmark gives up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public string? Validate() =>
        Members < 1 ? "--members must be at least 1"
        : Nodes < 1 ? "--nodes must be at least 1"
        : Pods < 1 ? "--pods must be at least 1"
        : (long)Nodes * NodePods < Pods ? $"--pods {Pods} do not fit on {Nodes} nodes of {NodePods} pods each"
        : null;
}
