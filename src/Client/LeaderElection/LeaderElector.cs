using MiniKube.Api.Coordination;
using MiniKube.Api.Meta;

namespace MiniKube.Client.LeaderElection;

/// <summary>
/// Leader election on a Lease (client-go's leaderelection.LeaderElector). Candidates try every retryPeriod (with
/// jitter) to acquire the lease: create it, or take it over when its holder is empty or has not renewed for
/// leaseDuration as observed on this candidate's own clock (so clocks need not agree). Every write is a
/// compare-and-swap on resourceVersion, so of two racing candidates exactly one wins. The leader renews every
/// retryPeriod and stops leading when it cannot renew within renewDeadline. On cancel it releases the lease.
/// </summary>
public sealed class LeaderElector(KubeClient client, LeaderElectionConfig config)
{
    private readonly Random _random = new(config.Seed);
    private readonly TimeProvider _time = config.TimeProvider;
    private Lease? _observed;
    private long _observedAt;
    private string? _reportedLeader;
    private volatile bool _isLeader;

    public bool IsLeader => _isLeader;

    /// <summary>The holder last seen on the lease.</summary>
    public string? Leader => _observed?.Spec?.HolderIdentity;

    /// <summary>Campaigns, leads while it can, and returns when leadership is lost or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        config.Validate();
        try
        {
            if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _isLeader = true;
            var work = config.OnStartedLeading is { } start ? Task.Run(() => start(leading.Token), CancellationToken.None) : Task.CompletedTask;
            try
            {
                await RenewAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _isLeader = false;
                await leading.CancelAsync().ConfigureAwait(false);
                try
                {
                    await work.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                if (cancellationToken.IsCancellationRequested && config.ReleaseOnCancel)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            config.OnStoppedLeading?.Invoke();
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            try
            {
                await Task.Delay(config.RetryPeriod * (1 + (1.2 * _random.NextDouble())), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var deadline = _time.GetTimestamp();
            var renewed = false;
            while (!cancellationToken.IsCancellationRequested && _time.GetElapsedTime(deadline) < config.RenewDeadline)
            {
                if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                {
                    renewed = true;
                    break;
                }

                if (!await DelayAsync(config.RetryPeriod, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (!renewed)
            {
                return;
            }

            if (!await DelayAsync(config.RetryPeriod, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            Lease current;
            try
            {
                current = await client.GetAsync<Lease>(config.LeaseNamespace, config.LeaseName, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                var created = await client.CreateAsync(new Lease
                {
                    Metadata = new ObjectMeta { Name = config.LeaseName, Namespace = config.LeaseNamespace },
                    Spec = NewSpec(now, acquireTime: now, transitions: 0),
                }, cancellationToken).ConfigureAwait(false);
                Observe(created);
                return true;
            }

            if (current.Spec?.HolderIdentity != _observed?.Spec?.HolderIdentity
                || current.Spec?.RenewTime != _observed?.Spec?.RenewTime
                || current.Metadata?.ResourceVersion != _observed?.Metadata?.ResourceVersion)
            {
                Observe(current);
            }

            var holder = current.Spec?.HolderIdentity;
            var mine = holder == config.Identity;
            var leaseDuration = current.Spec?.LeaseDurationSeconds is { } s ? TimeSpan.FromSeconds(s) : config.LeaseDuration;
            if (!string.IsNullOrEmpty(holder) && !mine && _time.GetElapsedTime(_observedAt) < leaseDuration)
            {
                return false;
            }

            var spec = mine
                ? NewSpec(now, current.Spec?.AcquireTime ?? now, current.Spec?.LeaseTransitions ?? 0)
                : NewSpec(now, now, (current.Spec?.LeaseTransitions ?? 0) + 1);
            current.Spec = spec;
            var updated = await client.UpdateAsync(current, cancellationToken).ConfigureAwait(false);
            Observe(updated);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsAlreadyExists)
        {
            // Someone else wrote first; the next try reads what they wrote.
            return false;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is KubeApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private LeaseSpec NewSpec(DateTimeOffset now, DateTimeOffset acquireTime, int transitions) => new()
    {
        HolderIdentity = config.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(config.LeaseDuration.TotalSeconds),
        AcquireTime = acquireTime,
        RenewTime = now,
        LeaseTransitions = transitions,
    };

    private void Observe(Lease lease)
    {
        _observed = lease;
        _observedAt = _time.GetTimestamp();
        var holder = lease.Spec?.HolderIdentity;
        if (!string.IsNullOrEmpty(holder) && holder != _reportedLeader)
        {
            _reportedLeader = holder;
            config.OnNewLeader?.Invoke(holder);
        }
    }

    private async Task ReleaseAsync()
    {
        if (_observed is not { } lease || lease.Spec?.HolderIdentity != config.Identity)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(config.RenewDeadline);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var now = _time.GetUtcNow();
                lease.Spec = new LeaseSpec
                {
                    LeaseDurationSeconds = 1,
                    AcquireTime = now,
                    RenewTime = now,
                    LeaseTransitions = lease.Spec?.LeaseTransitions ?? 0,
                };
                try
                {
                    Observe(await client.UpdateAsync(lease, timeout.Token).ConfigureAwait(false));
                    return;
                }
                catch (KubeApiException e) when (e.IsConflict && attempt == 0)
                {
                    // A renew cancelled by the same stop may have landed after all, leaving our copy one version
                    // behind (CI saw the standby wait out the whole lease). Read it again; release it if still ours.
                    lease = await client.GetAsync<Lease>(config.LeaseNamespace, config.LeaseName, timeout.Token).ConfigureAwait(false);
                    if (lease.Spec?.HolderIdentity != config.Identity)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Not released: the others take over once the lease expires.
        }
    }
}
