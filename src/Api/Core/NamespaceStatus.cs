namespace MiniKube.Api.Core;

/// <summary>core/v1 NamespaceStatus; Phase is Active or Terminating.</summary>
public sealed class NamespaceStatus
{
    public string? Phase { get; set; }

    public List<NamespaceCondition>? Conditions { get; set; }
}
