namespace MiniKube.Cli.Cluster;

/// <summary>The mkctl command line each component of the local cluster runs with.</summary>
public static class ComponentArguments
{
    public static IReadOnlyList<string> For(ComponentState component, ClusterState cluster, ClusterDirectory dir) => component.Kind switch
    {
        ClusterState.StoreKind => Store(component, cluster, dir),
        ClusterState.ApiServerKind =>
        [
            "apiserver",
            "--etcd-servers", string.Join(",", cluster.StoreClientUrls.Select(Authority)),
            "--insecure-port", component.Port!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ],
        ClusterState.ControllerManagerKind when cluster.NodeMonitorGracePeriod is { } grace =>
            [component.Kind, "--kubeconfig", dir.KubeconfigPath, "--node-monitor-grace-period", grace, .. cluster.LeaderElection?.Arguments() ?? []],
        ClusterState.ControllerManagerKind or ClusterState.SchedulerKind => [component.Kind, "--kubeconfig", dir.KubeconfigPath, .. cluster.LeaderElection?.Arguments() ?? []],
        ClusterState.NodeAgentKind =>
        [
            "node-agent",
            "--kubeconfig", dir.KubeconfigPath,
            "--nodes", cluster.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--node-name-prefix", cluster.NodeNamePrefix,
            "--runtime", cluster.Runtime,
            "--port", (component.Port ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. NodeHeartbeatArguments(cluster),
            .. PodCidrArguments(cluster),
        ],
        _ => throw new ClusterException($"unknown component kind \"{component.Kind}\" in {dir.StatePath}"),
    };

    /// <summary>
    /// With a shorter --node-monitor-grace-period than Kubernetes' 40 s, the nodes renew their
    /// leases (every lease duration / 4) and post status often enough to stay inside it.
    /// </summary>
    private static IEnumerable<string> NodeHeartbeatArguments(ClusterState cluster)
    {
        if (cluster.NodeMonitorGracePeriod is not { } grace)
        {
            return [];
        }

        var period = MiniKube.Etcd.Api.GoDuration.Parse(grace);
        if (period >= TimeSpan.FromSeconds(40))
        {
            return [];
        }

        var leaseSeconds = Math.Max(4, (int)period.TotalSeconds);
        return
        [
            "--node-lease-duration-seconds", leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--node-status-update-frequency", $"{Math.Max(1, leaseSeconds / 4)}s",
        ];
    }

    /// <summary>The node agent's default pod CIDR, a /16, holds 256 nodes' /24s; a larger cluster gets a /8.</summary>
    private static IEnumerable<string> PodCidrArguments(ClusterState cluster) =>
        cluster.Nodes > 256 ? ["--pod-cidr", "10.0.0.0/8"] : [];

    private static List<string> Store(ComponentState member, ClusterState cluster, ClusterDirectory dir)
    {
        var args = new List<string>
        {
            "store",
            "--name", member.Name,
            "--data-dir", dir.StoreDataPath(member.Name),
            "--listen-client-urls", Authority(member.ClientUrl!),
            "--listen-peer-urls", Authority(member.PeerUrl!),
        };
        var members = cluster.StoreMembers.ToList();
        if (members.Count > 1)
        {
            // As etcd: every member bootstraps from the same list; a member with data ignores it on restart.
            args.AddRange(
            [
                "--initial-cluster", string.Join(",", members.Select(m => $"{m.Name}={Authority(m.PeerUrl!)}")),
                "--initial-cluster-state", "new",
                "--initial-cluster-token", "mkctl-up",
            ]);
        }

        return args;
    }

    private static string Authority(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
