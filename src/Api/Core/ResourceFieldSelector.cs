using MiniKube.Api.Quantities;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ResourceFieldSelector.</summary>
public sealed class ResourceFieldSelector
{
    public string? ContainerName { get; set; }

    public string? Resource { get; set; }

    public Quantity? Divisor { get; set; }
}
