namespace MiniKube.Api.Meta;

/// <summary>The apiVersion and kind every serialized Kubernetes object carries (metav1.TypeMeta).</summary>
public interface ITypeMeta
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }
}
