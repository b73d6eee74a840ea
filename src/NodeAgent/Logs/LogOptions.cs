namespace MiniKube.NodeAgent.Logs;

/// <summary>The query of a containerLogs request (the kubelet's PodLogOptions, the parts served).</summary>
public sealed record LogOptions
{
    public bool Follow { get; init; }

    /// <summary>Null: every line.</summary>
    public long? TailLines { get; init; }

    public bool Timestamps { get; init; }

    public bool Previous { get; init; }

    /// <summary>Null: no limit.</summary>
    public long? LimitBytes { get; init; }

    public DateTimeOffset? SinceTime { get; init; }
}
