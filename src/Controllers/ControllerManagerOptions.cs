namespace MiniKube.Controllers;

/// <summary>kube-controller-manager's flags that this controller-manager understands (their k8s names and defaults).</summary>
public sealed record ControllerManagerOptions
{
    public bool LeaderElect { get; init; } = true;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public string LeaderElectResourceNamespace { get; init; } = "kube-system";

    public string LeaderElectResourceName { get; init; } = "kube-controller-manager";

    /// <summary>hostname_uuid, as kube-controller-manager names itself on its lease.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid()}";

    public int ConcurrentDeploymentSyncs { get; init; } = 5;

    public int ConcurrentReplicaSetSyncs { get; init; } = 5;

    public int ConcurrentGcSyncs { get; init; } = 20;

    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>--controllers: "*" for every controller, "name" to enable one, "-name" to disable one.</summary>
    public IReadOnlyList<string> Controllers { get; init; } = ["*"];

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether the --controllers list turns <paramref name="name"/> on (k8s' IsControllerEnabled).</summary>
    public bool IsEnabled(string name)
    {
        var star = false;
        foreach (var item in Controllers)
        {
            if (item == name)
            {
                return true;
            }

            if (item == "-" + name)
            {
                return false;
            }

            star |= item == "*";
        }

        return star;
    }

    public void Validate()
    {
        foreach (var item in Controllers)
        {
            var name = item.TrimStart('-');
            if (item != "*" && !ControllerManager.KnownControllers.Contains(name))
            {
                throw new ArgumentException($"--controllers: \"{item}\" is not in the list of known controllers ({string.Join(", ", ControllerManager.KnownControllers)})");
            }
        }

        if (LeaderElect)
        {
            if (LeaseDuration <= RenewDeadline)
            {
                throw new ArgumentException("--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline");
            }

            if (RenewDeadline <= RetryPeriod * 1.2)
            {
                throw new ArgumentException("--leader-elect-renew-deadline must be greater than --leader-elect-retry-period*1.2");
            }
        }

        if (ConcurrentDeploymentSyncs < 1 || ConcurrentReplicaSetSyncs < 1 || ConcurrentGcSyncs < 1)
        {
            throw new ArgumentException("--concurrent-*-syncs must be at least 1");
        }

        if (NodeMonitorGracePeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("--node-monitor-grace-period must be positive");
        }
    }
}
