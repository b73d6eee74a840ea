namespace MiniKube.Api.Meta;

/// <summary>metav1.TableRowCondition (Type "Completed" greys a row in kubectl).</summary>
public sealed class TableRowCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
