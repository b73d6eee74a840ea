using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 Secret.</summary>
public sealed class Secret : IKubernetesObject
{
    public const string OpaqueType = "Opaque";

    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta? Metadata { get; set; }

    public bool? Immutable { get; set; }

    /// <summary>Values are base64, as on the wire.</summary>
    public Dictionary<string, string>? Data { get; set; }

    /// <summary>Write-only plain values, merged into data by the apiserver.</summary>
    public Dictionary<string, string>? StringData { get; set; }

    public string? Type { get; set; }
}
