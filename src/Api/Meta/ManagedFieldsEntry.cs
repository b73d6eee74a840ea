using System.Text.Json.Nodes;

namespace MiniKube.Api.Meta;

/// <summary>metav1.ManagedFieldsEntry; the field set is kept as raw JSON.</summary>
public sealed class ManagedFieldsEntry
{
    public string? Manager { get; set; }

    public string? Operation { get; set; }

    public string? ApiVersion { get; set; }

    public DateTimeOffset? Time { get; set; }

    public string? FieldsType { get; set; }

    public JsonNode? FieldsV1 { get; set; }

    public string? Subresource { get; set; }
}
