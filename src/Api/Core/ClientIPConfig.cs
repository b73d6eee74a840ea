namespace MiniKube.Api.Core;

/// <summary>core/v1 ClientIPConfig.</summary>
public sealed class ClientIPConfig
{
    public int? TimeoutSeconds { get; set; }
}
