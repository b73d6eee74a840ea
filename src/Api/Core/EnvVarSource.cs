namespace MiniKube.Api.Core;

/// <summary>core/v1 EnvVarSource.</summary>
public sealed class EnvVarSource
{
    public ObjectFieldSelector? FieldRef { get; set; }

    public ResourceFieldSelector? ResourceFieldRef { get; set; }

    public ConfigMapKeySelector? ConfigMapKeyRef { get; set; }

    public SecretKeySelector? SecretKeyRef { get; set; }
}
