using System.Text.Json.Serialization;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ContainerPort; Protocol is TCP, UDP or SCTP.</summary>
public sealed class ContainerPort
{
    public string? Name { get; set; }

    public int? HostPort { get; set; }

    /// <summary>The port number (containerPort in JSON; C# forbids a member named like its class).</summary>
    [JsonPropertyName("containerPort")]
    public int? ContainerPortNumber { get; set; }

    public string? Protocol { get; set; }

    public string? HostIP { get; set; }
}
