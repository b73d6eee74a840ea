using MiniKube.Api.Quantities;

namespace MiniKube.NodeAgent;

/// <summary>The flags of <c>mkctl node-agent</c>; the names and defaults are the kubelet's where it has them.</summary>
public sealed record NodeAgentOptions
{
    public int Nodes { get; init; } = 1;

    public string NodeNamePrefix { get; init; } = "node-";

    /// <summary>"simulated" or "process".</summary>
    public string Runtime { get; init; } = "simulated";

    public Quantity Cpu { get; init; } = Quantity.Parse("4");

    public Quantity Memory { get; init; } = Quantity.Parse("8Gi");

    public int MaxPods { get; init; } = 110;

    public TimeSpan StartupDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan NodeStatusUpdateFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The kubelet writes an unchanged node status this often (its nodeStatusReportFrequency).</summary>
    public TimeSpan NodeStatusReportFrequency { get; init; } = TimeSpan.FromMinutes(5);

    public int NodeLeaseDurationSeconds { get; init; } = 40;

    /// <summary>The HTTP port of containerLogs and healthz; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string PodCidr { get; init; } = "10.244.0.0/16";

    /// <summary>Where logs and working directories go; null: a new directory under the system's temp, removed at exit.</summary>
    public string? RootDirectory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Node names: prefix + 1 … prefix + N.</summary>
    public string NodeName(int index) => $"{NodeNamePrefix}{index + 1}";

    public void Validate()
    {
        if (Nodes < 1)
        {
            throw new ArgumentException("--nodes must be at least 1");
        }

        if (Runtime is not ("simulated" or "process"))
        {
            throw new ArgumentException($"--runtime must be simulated or process, not \"{Runtime}\"");
        }

        if (MaxPods < 1 || NodeLeaseDurationSeconds < 1 || NodeStatusUpdateFrequency <= TimeSpan.Zero || StartupDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("--max-pods, --node-lease-duration-seconds and --node-status-update-frequency must be positive, --startup-delay not negative");
        }

        _ = Pods.PodIpAllocator.ForNode(PodCidr, Nodes - 1);
    }
}
