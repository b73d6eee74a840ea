namespace MiniKube.Api.Core;

/// <summary>core/v1 ContainerStateTerminated.</summary>
public sealed class ContainerStateTerminated
{
    public int? ExitCode { get; set; }

    public int? Signal { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? ContainerID { get; set; }
}
