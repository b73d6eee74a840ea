namespace MiniKube.Api.Meta;

/// <summary>metav1.APIGroupList: /apis.</summary>
public sealed class APIGroupList : ITypeMeta
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public List<APIGroup>? Groups { get; set; }
}
