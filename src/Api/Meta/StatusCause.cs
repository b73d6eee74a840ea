namespace MiniKube.Api.Meta;

/// <summary>metav1.StatusCause; for validation errors Reason is the field error type (FieldValueInvalid, …).</summary>
public sealed class StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }
}
