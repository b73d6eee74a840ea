namespace MiniKube.Api.Core;

/// <summary>core/v1 Toleration; Operator is Exists or Equal (the default).</summary>
public sealed class Toleration
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public string? Value { get; set; }

    public string? Effect { get; set; }

    public long? TolerationSeconds { get; set; }
}
