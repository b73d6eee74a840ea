namespace MiniKube.Api.Core;

/// <summary>core/v1 ContainerStateWaiting.</summary>
public sealed class ContainerStateWaiting
{
    public string? Reason { get; set; }

    public string? Message { get; set; }
}
