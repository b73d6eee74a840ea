using MiniKube.Api.Resources;

namespace MiniKube.ApiServer.Registry;

/// <summary>
/// A resource as the REST layer serves it: its description from the object model (names, scope,
/// storage segment, field selectors) and the strategy holding its kind-specific rules.
/// </summary>
public sealed record RestResource(ApiResource Api, IResourceStrategy Strategy)
{
    /// <summary>The subresources this apiserver answers (the model also names some it does not serve yet, such as log).</summary>
    public static readonly IReadOnlySet<string> ServedSubresources = new HashSet<string> { "status", "scale", "binding", "log" };

    public string Group => Api.Group;

    public string Version => Api.Version;

    public string Kind => Api.Kind;

    public string Plural => Api.Plural;

    public bool Namespaced => Api.Namespaced;

    public string ApiVersion => Api.ApiVersion;

    public string ListKind => Api.ListKind;

    public bool HasSubresource(string name) => Api.HasSubresource(name) && ServedSubresources.Contains(name);

    /// <summary>The storage key of one object: /pods/default/web-1, /minions/node-1.</summary>
    public string KeyFor(string? ns, string name) => Namespaced ? $"/{Api.StorageResource}/{ns}/{name}" : $"/{Api.StorageResource}/{name}";

    /// <summary>The storage prefix of a list: one namespace's objects, or all of them.</summary>
    public string PrefixFor(string? ns) => Namespaced && ns is not null ? $"/{Api.StorageResource}/{ns}/" : $"/{Api.StorageResource}/";
}
