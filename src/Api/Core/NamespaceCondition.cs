namespace MiniKube.Api.Core;

/// <summary>core/v1 NamespaceCondition.</summary>
public sealed class NamespaceCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
