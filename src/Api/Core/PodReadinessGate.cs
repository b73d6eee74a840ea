namespace MiniKube.Api.Core;

/// <summary>core/v1 PodReadinessGate.</summary>
public sealed class PodReadinessGate
{
    public string? ConditionType { get; set; }
}
