namespace MiniKube.Cli.Bench.E2e;

/// <summary>The flags of <c>mkctl bench e2e</c>.</summary>
public sealed record E2eBenchSettings
{
    public int Members { get; init; } = 3;

    public int Nodes { get; init; } = 100;

    public int Replicas { get; init; } = 1000;

    /// <summary>The cluster's directory; null: a fresh temporary one, removed afterwards unless <see cref="Keep"/>.</summary>
    public string? Dir { get; init; }

    /// <summary>Leave the cluster running (and its directory in place) after the measurement.</summary>
    public bool Keep { get; init; }

    /// <summary>The pods' requests: small, so that 110 pods (a node's pod limit) fit on a default 4-cpu, 8Gi node.</summary>
    public string CpuRequest { get; init; } = "10m";

    public string MemoryRequest { get; init; } = "16Mi";

    /// <summary>How long the cluster may take to come up with every node Ready.</summary>
    public TimeSpan UpTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the pods may take to all run before the benchmark gives up and reports what it saw.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public string? Validate() =>
        Members < 1 ? "--members must be at least 1"
        : Nodes < 1 ? "--nodes must be at least 1"
        : Replicas < 1 ? "--replicas must be at least 1"
        : null;
}
