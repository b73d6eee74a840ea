namespace MiniKube.Api.Meta;

/// <summary>meta.k8s.io/v1 PartialObjectMetadata: an object of any kind with only its metadata.</summary>
public sealed class PartialObjectMetadata : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }
}
