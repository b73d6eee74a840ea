namespace MiniKube.Api.Meta;

/// <summary>metav1.APIResource: one entry of a discovery document (a resource or a subresource such as pods/status).</summary>
public sealed class APIResource
{
    public string? Name { get; set; }

    public string? SingularName { get; set; }

    public bool Namespaced { get; set; }

    public string? Group { get; set; }

    public string? Version { get; set; }

    public string? Kind { get; set; }

    public List<string>? Verbs { get; set; }

    public List<string>? ShortNames { get; set; }

    public List<string>? Categories { get; set; }

    public string? StorageVersionHash { get; set; }
}
