using System.Text.Json.Serialization;

namespace MiniKube.Api.Core;

/// <summary>core/v1 DaemonEndpoint.</summary>
public sealed class DaemonEndpoint
{
    [JsonPropertyName("Port")]
    public int? Port { get; set; }
}
