namespace MiniKube.ApiServer;

/// <summary>The apiserver's flags (kube-apiserver's names).</summary>
public sealed record ApiServerOptions
{
    public required IReadOnlyList<Uri> EtcdServers { get; init; }

    /// <summary>Every key lives below this prefix in the store (--etcd-prefix).</summary>
    public string EtcdPrefix { get; init; } = "/registry";

    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The plain-HTTP port; 0 picks a free one.</summary>
    public int InsecurePort { get; init; } = 8080;

    /// <summary>How often the apiserver compacts the store's history (--etcd-compaction-interval); zero turns it off.</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Serve watches and resourceVersion=0 lists from per-resource watch caches (--watch-cache).</summary>
    public bool WatchCache { get; init; } = true;

    /// <summary>How long one store call may take before the request fails.</summary>
    public TimeSpan StoreRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often watches with allowWatchBookmarks get a BOOKMARK when idle.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>--default-not-ready-toleration-seconds: the DefaultTolerationSeconds admission's toleration of node.kubernetes.io/not-ready.</summary>
    public long DefaultNotReadyTolerationSeconds { get; init; } = 300;

    /// <summary>--default-unreachable-toleration-seconds: the same for node.kubernetes.io/unreachable.</summary>
    public long DefaultUnreachableTolerationSeconds { get; init; } = 300;

    /// <summary>Checks the flags before anything starts; the message names the flag.</summary>
    public void Validate()
    {
        if (EtcdServers.Count == 0)
        {
            throw new ArgumentException("--etcd-servers must be specified");
        }

        foreach (var server in EtcdServers)
        {
            if (server.Scheme != "http")
            {
                throw new ArgumentException($"--etcd-servers: unsupported scheme in \"{server}\" (only http is served for now)");
            }
        }

        if (!EtcdPrefix.StartsWith('/'))
        {
            throw new ArgumentException($"--etcd-prefix must start with '/': \"{EtcdPrefix}\"");
        }

        if (InsecurePort is < 0 or > 65535)
        {
            throw new ArgumentException($"--insecure-port {InsecurePort} must be between 0 and 65535");
        }

        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            throw new ArgumentException($"--bind-address \"{BindAddress}\" is not an IP address");
        }

        if (CompactionInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("--etcd-compaction-interval must not be negative");
        }
    }
}
