namespace MiniKube.Api.Core;

/// <summary>core/v1 EnvVar.</summary>
public sealed class EnvVar
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    public EnvVarSource? ValueFrom { get; set; }
}
