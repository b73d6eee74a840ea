using MiniKube.Api.Meta;
using MiniKube.Api.Selectors;

namespace MiniKube.Client.Cache;

/// <summary>Reads an informer's cache (client-go's listers). What it returns is shared: never mutate it.</summary>
public sealed class Lister<T>(Indexer<T> indexer)
    where T : class, IKubernetesObject
{
    public T? Get(string? @namespace, string name) => indexer.Get(@namespace, name);

    /// <summary>Every cached object matching <paramref name="selector"/> (all when null).</summary>
    public IReadOnlyList<T> List(Selector? selector = null) => Filter(indexer.List(), selector);

    public IReadOnlyList<T> List(string @namespace, Selector? selector = null) =>
        Filter(indexer.ByIndex(Indexer<T>.NamespaceIndex, @namespace), selector);

    private static IReadOnlyList<T> Filter(IReadOnlyList<T> items, Selector? selector) =>
        selector is null || selector.Empty ? items : [.. items.Where(o => selector.Matches(o.Metadata?.Labels))];
}
