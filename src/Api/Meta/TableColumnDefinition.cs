namespace MiniKube.Api.Meta;

/// <summary>metav1.TableColumnDefinition; Type is an OpenAPI type (string, integer, number, boolean), Format e.g. name or date.</summary>
public sealed class TableColumnDefinition
{
    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Format { get; set; }

    public string? Description { get; set; }

    public int? Priority { get; set; }
}
