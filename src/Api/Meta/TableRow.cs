using System.Text.Json.Nodes;

namespace MiniKube.Api.Meta;

/// <summary>metav1.TableRow. Cells hold strings, numbers or booleans (read back as JsonElement);
/// Object holds the PartialObjectMetadata (or the full object, by includeObject).</summary>
public sealed class TableRow
{
    public List<object?>? Cells { get; set; }

    public List<TableRowCondition>? Conditions { get; set; }

#pragma warning disable CA1720 // k8s names the field object
    public JsonNode? Object { get; set; }
#pragma warning restore CA1720
}
