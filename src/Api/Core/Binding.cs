using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 Binding: posted to pods/{name}/binding to set spec.nodeName.</summary>
public sealed class Binding : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public ObjectReference? Target { get; set; }
}
