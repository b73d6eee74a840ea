namespace MiniKube.Api.Core;

/// <summary>core/v1 ContainerStateRunning.</summary>
public sealed class ContainerStateRunning
{
    public DateTimeOffset? StartedAt { get; set; }
}
