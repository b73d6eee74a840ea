using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 PodTemplateSpec: the pod a controller stamps out.</summary>
public sealed class PodTemplateSpec
{
    public ObjectMeta? Metadata { get; set; }

    public PodSpec? Spec { get; set; }
}
