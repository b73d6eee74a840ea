namespace MiniKube.Api.Core;

/// <summary>core/v1 Lifecycle.</summary>
public sealed class Lifecycle
{
    public LifecycleHandler? PostStart { get; set; }

    public LifecycleHandler? PreStop { get; set; }

    public string? StopSignal { get; set; }
}
