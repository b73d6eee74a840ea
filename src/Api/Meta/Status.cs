namespace MiniKube.Api.Meta;

/// <summary>metav1.Status: the body of every API error (and of a successful delete of some kinds).
/// Its metadata is a ListMeta, so it is not an <see cref="IKubernetesObject"/>.</summary>
public sealed class Status : ITypeMeta
{
    public const string Success = "Success";
    public const string Failure = "Failure";

    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    /// <summary>"Success" or "Failure" (the field is named status in JSON).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("status")]
    public string? StatusValue { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public StatusDetails? Details { get; set; }

    public int? Code { get; set; }
}
