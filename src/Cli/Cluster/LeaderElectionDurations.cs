namespace MiniKube.Cli.Cluster;

/// <summary>
/// The <c>--leader-elect-*</c> durations (Go durations, as kube-controller-manager and kube-scheduler take them) that
/// <c>mkctl up</c> passes to every controller-manager and scheduler; a null one keeps the component's default. Tests
/// shorten them so that a standby takes over in seconds.
/// </summary>
public sealed record LeaderElectionDurations(string? LeaseDuration, string? RenewDeadline, string? RetryPeriod)
{
    public IEnumerable<string> Arguments()
    {
        foreach (var (flag, value) in new[] { ("--leader-elect-lease-duration", LeaseDuration), ("--leader-elect-renew-deadline", RenewDeadline), ("--leader-elect-retry-period", RetryPeriod) })
        {
            if (value is not null)
            {
                yield return flag;
                yield return value;
            }
        }
    }
}
