using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 Service.</summary>
public sealed class Service : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public ServiceSpec? Spec { get; set; }

    public ServiceStatus? Status { get; set; }
}
