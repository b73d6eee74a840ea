namespace MiniKube.Api.Core;

/// <summary>core/v1 ServiceAccountTokenProjection.</summary>
public sealed class ServiceAccountTokenProjection
{
    public string? Audience { get; set; }

    public long? ExpirationSeconds { get; set; }

    public string? Path { get; set; }
}
