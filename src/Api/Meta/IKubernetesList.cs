using System.Collections;

namespace MiniKube.Api.Meta;

/// <summary>A list kind (PodList, …) seen without its item type, for code that handles every resource alike
/// (the apiserver builds lists from <c>ApiResource.ListClrType</c>).</summary>
public interface IKubernetesList : ITypeMeta
{
    ListMeta? Metadata { get; set; }

    /// <summary>The items list itself: adding to it adds to the list kind.</summary>
    IList UntypedItems { get; }
}

/// <summary>A list kind (PodList, …): list metadata plus the items.</summary>
public interface IKubernetesList<T> : IKubernetesList
{
    List<T> Items { get; set; }

    IList IKubernetesList.UntypedItems => Items;
}
