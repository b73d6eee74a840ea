using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ConfigMap.</summary>
public sealed class ConfigMap : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public bool? Immutable { get; set; }

    public Dictionary<string, string>? Data { get; set; }

    /// <summary>Values are base64, as on the wire.</summary>
    public Dictionary<string, string>? BinaryData { get; set; }
}
