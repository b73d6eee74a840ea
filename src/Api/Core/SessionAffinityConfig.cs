namespace MiniKube.Api.Core;

/// <summary>core/v1 SessionAffinityConfig.</summary>
public sealed class SessionAffinityConfig
{
    public ClientIPConfig? ClientIP { get; set; }
}
