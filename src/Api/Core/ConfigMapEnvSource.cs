namespace MiniKube.Api.Core;

/// <summary>core/v1 ConfigMapEnvSource.</summary>
public sealed class ConfigMapEnvSource
{
    public string? Name { get; set; }

    public bool? Optional { get; set; }
}
