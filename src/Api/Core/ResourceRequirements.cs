namespace MiniKube.Api.Core;

/// <summary>core/v1 ResourceRequirements.</summary>
public sealed class ResourceRequirements
{
    public Dictionary<string,? Limits { get; set; }

    public Dictionary<string,? Requests { get; set; }

    public List<ResourceClaim>? Claims { get; set; }
}
