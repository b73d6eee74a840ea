using MiniKube.Api.Quantities;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ContainerStatus.</summary>
public sealed class ContainerStatus
{
    public string? Name { get; set; }

    public ContainerState? State { get; set; }

    public ContainerState? LastState { get; set; }

    public bool? Ready { get; set; }

    public int? RestartCount { get; set; }

    public string? Image { get; set; }

    public string? ImageID { get; set; }

    public string? ContainerID { get; set; }

    public bool? Started { get; set; }

    public Dictionary<string, Quantity>? AllocatedResources { get; set; }

    public ResourceRequirements? Resources { get; set; }
}
