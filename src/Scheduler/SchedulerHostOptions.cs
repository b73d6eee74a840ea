namespace MiniKube.Scheduler;

/// <summary>The scheduler process's settings: the core's, plus leader election (kube-scheduler's --leader-elect flags).</summary>
public sealed record SchedulerHostOptions
{
    public SchedulerOptions Scheduler { get; init; } = new();

    public bool LeaderElect { get; init; } = true;

    public string LeaseNamespace { get; init; } = "kube-system";

    public string LeaseName { get; init; } = "kube-scheduler";

    /// <summary>Host name plus a random suffix by default, as kube-scheduler's.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid()}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
