namespace MiniKube.EndToEnd.Tests;

/// <summary>
/// The cluster of the failover tests: three store members, and two controller-managers and two schedulers, one of
/// each leading through its kube-system Lease and the other standing by. The lease durations are short so that a
/// standby takes over within seconds, yet long enough that a leader on a loaded machine keeps renewing through a
/// store leader election (the renew deadline outlasts it).
/// </summary>
public sealed class ReplicatedClusterFixture : ClusterFixture
{
    public const int Members = 3;

    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(8);

    public static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(6);

    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    protected override IReadOnlyList<string> UpArguments =>
    [
        "--members", Members.ToString(), "--nodes", Nodes.ToString(), "--controller-managers", "2", "--schedulers", "2",
        "--leader-elect-lease-duration", $"{LeaseDuration.TotalSeconds}s",
        "--leader-elect-renew-deadline", $"{RenewDeadline.TotalSeconds}s",
        "--leader-elect-retry-period", $"{RetryPeriod.TotalSeconds}s",
    ];
}
