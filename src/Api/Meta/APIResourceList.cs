namespace MiniKube.Api.Meta;

/// <summary>metav1.APIResourceList: /api/v1 and /apis/{group}/{version}.</summary>
public sealed class APIResourceList : ITypeMeta
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? GroupVersion { get; set; }

    public List<APIResource>? Resources { get; set; }
}
