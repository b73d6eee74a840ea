using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 HTTPGetAction; Scheme is HTTP or HTTPS.</summary>
public sealed class HTTPGetAction
{
    public string? Path { get; set; }

    public IntOrString? Port { get; set; }

    public string? Host { get; set; }

    public string? Scheme { get; set; }

    public List<HTTPHeader>? HttpHeaders { get; set; }
}
