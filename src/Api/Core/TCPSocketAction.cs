using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 TCPSocketAction.</summary>
public sealed class TCPSocketAction
{
    public IntOrString? Port { get; set; }

    public string? Host { get; set; }
}
