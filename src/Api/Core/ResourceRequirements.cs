using MiniKube.Api.Quantities;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ResourceRequirements.</summary>
public sealed class ResourceRequirements
{
    public Dictionary<string, Quantity>? Limits { get; set; }

    public Dictionary<string, Quantity>? Requests { get; set; }

    public List<ResourceClaim>? Claims { get; set; }
}
