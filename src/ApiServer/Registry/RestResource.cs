namespace MiniKube.ApiServer.Registry;

/// <summary>
/// A resource as the REST layer serves it: where it lives in the URL space and in the store, what
/// discovery says about it, and the strategy holding its kind-specific rules.
/// </summary>
public sealed record RestResource(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    string StorageResource,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Subresources,
    IResourceStrategy Strategy)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    public bool HasSubresource(string name) => Subresources.Contains(name);

    /// <summary>The storage key of one object: /pods/default/web-1, /minions/node-1.</summary>
    public string KeyFor(string? ns, string name) => Namespaced ? $"/{StorageResource}/{ns}/{name}" : $"/{StorageResource}/{name}";

    /// <summary>The storage prefix of a list: one namespace's objects, or all of them.</summary>
    public string PrefixFor(string? ns) => Namespaced && ns is not null ? $"/{StorageResource}/{ns}/" : $"/{StorageResource}/";
}
