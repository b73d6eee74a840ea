namespace MiniKube.Api.Resources;

/// <summary>What the apiserver knows of one REST resource: its names, scope, verbs, subresources, where it is
/// stored and which CLR types carry it.</summary>
/// <param name="Group">"" for the core group.</param>
/// <param name="Plural">The REST resource name (pods).</param>
/// <param name="StorageResource">The etcd key segment: /registry/{StorageResource}/… ("minions" for nodes).</param>
/// <param name="ListKind">"" for resources that cannot be listed (bindings); their ListClrType is their ClrType.</param>
public sealed record ApiResource(
    string Group,
    string Version,
    string Kind,
    string ListKind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Subresources,
    string StorageResource,
    Type ClrType,
    Type ListClrType,
    IReadOnlyList<string> FieldSelectors)
{
    /// <summary>"v1" for the core group, else "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The resource qualified by its group as k8s prints it in messages: "pods", "deployments.apps".</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The kind qualified by its group: "Pod", "Deployment.apps".</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public bool HasSubresource(string name) => Subresources.Contains(name);

    public bool SupportsFieldSelector(string field) => FieldSelectors.Contains(field);
}
