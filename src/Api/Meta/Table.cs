namespace MiniKube.Api.Meta;

/// <summary>meta.k8s.io/v1 Table: what kubectl get asks for with Accept: application/json;as=Table.</summary>
public sealed class Table : ITypeMeta
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<TableColumnDefinition>? ColumnDefinitions { get; set; }

    public List<TableRow>? Rows { get; set; }
}
