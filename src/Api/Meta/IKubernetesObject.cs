namespace MiniKube.Api.Meta;

/// <summary>A top-level kind with object metadata: what the apiserver stores under one key.</summary>
public interface IKubernetesObject : ITypeMeta
{
    ObjectMeta? Metadata { get; set; }
}
