namespace MiniKube.Api.Meta;

/// <summary>A list kind (PodList, …): list metadata plus the items.</summary>
public interface IKubernetesList<T> : ITypeMeta
{
    ListMeta? Metadata { get; set; }

    List<T> Items { get; set; }
}
