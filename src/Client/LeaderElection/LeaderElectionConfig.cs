namespace MiniKube.Client.LeaderElection;

/// <summary>client-go's leaderelection.LeaderElectionConfig over a coordination.k8s.io/v1 Lease.</summary>
public sealed record LeaderElectionConfig
{
    public required string LeaseNamespace { get; init; }

    public required string LeaseName { get; init; }

    /// <summary>Unique per candidate (host name plus a random suffix, in the components).</summary>
    public required string Identity { get; init; }

    /// <summary>How long non-leaders wait after the last renewal they observed before taking over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Between tries to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancel, the leader empties the lease so that another candidate need not wait for it to expire.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    /// <summary>Runs while leading; its token is cancelled when leadership is lost or the elector stops.</summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }

    public Action? OnStoppedLeading { get; init; }

    /// <summary>Told each time the observed holder changes (including to this candidate).</summary>
    public Action<string>? OnNewLeader { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seeds the jitter of the acquire loop.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    public void Validate()
    {
        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException("leaseDuration must be greater than renewDeadline");
        }

        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            throw new ArgumentException("renewDeadline must be greater than retryPeriod*JitterFactor");
        }

        if (RetryPeriod <= TimeSpan.Zero || string.IsNullOrEmpty(Identity))
        {
            throw new ArgumentException("retryPeriod must be positive and identity set");
        }
    }
}
