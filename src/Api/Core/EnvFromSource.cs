namespace MiniKube.Api.Core;

/// <summary>core/v1 EnvFromSource.</summary>
public sealed class EnvFromSource
{
    public string? Prefix { get; set; }

    public ConfigMapEnvSource? ConfigMapRef { get; set; }

    public SecretEnvSource? SecretRef { get; set; }
}
