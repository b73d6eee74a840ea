using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ServicePort.</summary>
public sealed class ServicePort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public string? AppProtocol { get; set; }

    public int? Port { get; set; }

    public IntOrString? TargetPort { get; set; }

    public int? NodePort { get; set; }
}
