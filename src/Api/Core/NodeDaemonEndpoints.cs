namespace MiniKube.Api.Core;

/// <summary>core/v1 NodeDaemonEndpoints.</summary>
public sealed class NodeDaemonEndpoints
{
    public DaemonEndpoint? KubeletEndpoint { get; set; }
}
