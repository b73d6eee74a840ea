namespace MiniKube.Api.Core;

/// <summary>core/v1 SecretEnvSource.</summary>
public sealed class SecretEnvSource
{
    public string? Name { get; set; }

    public bool? Optional { get; set; }
}
