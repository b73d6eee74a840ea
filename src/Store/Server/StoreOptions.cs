using Microsoft.Extensions.Logging;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Server;

/// <summary>A store member's configuration; the fields and defaults follow etcd's flags of the same names.</summary>
public sealed record StoreOptions
{
    public string Name { get; init; } = "default";

    /// <summary>Defaults to "&lt;name&gt;.mk-store" in the working directory (etcd: "&lt;name&gt;.etcd").</summary>
    public string? DataDir { get; init; }

    public IReadOnlyList<Uri> ListenClientUrls { get; init; } = [new("http://127.0.0.1:2379")];

    public IReadOnlyList<Uri>? AdvertiseClientUrls { get; init; }

    /// <summary>Extra HTTP/1.1 listeners for /metrics and /health only, as kubeadm gives etcd for its probes.</summary>
    public IReadOnlyList<Uri> ListenMetricsUrls { get; init; } = [];

    public IReadOnlyList<Uri> ListenPeerUrls { get; init; } = [new("http://127.0.0.1:2380")];

    public IReadOnlyList<Uri>? InitialAdvertisePeerUrls { get; init; }

    /// <summary>"name=peerURL,…"; defaults to this member alone.</summary>
    public string? InitialCluster { get; init; }

    public string InitialClusterState { get; init; } = "new";

    public string InitialClusterToken { get; init; } = "etcd-cluster";

    /// <summary>Raft entries between snapshots; used once the store is replicated.</summary>
    public long SnapshotCount { get; init; } = 100_000;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ElectionTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>0 means etcd's default of 2 GiB; negative means no quota.</summary>
    public long QuotaBackendBytes { get; init; }

    /// <summary>The largest write request accepted (etcd: 1.5 MiB).</summary>
    public int MaxRequestBytes { get; init; } = 1536 * 1024;

    public int MaxTxnOps { get; init; } = 128;

    /// <summary>How often watchers that asked for it get a progress notification (etcd: 10 minutes).</summary>
    public TimeSpan WatchProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public const long DefaultQuotaBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>gRPC's limit on received messages: etcd allows this much above the request limit.</summary>
    public int MaxReceiveMessageBytes => MaxRequestBytes + (512 * 1024);

    public string ResolvedDataDir => DataDir ?? $"{Name}.mk-store";

    public IReadOnlyList<Uri> ResolvedAdvertiseClientUrls => AdvertiseClientUrls ?? ListenClientUrls;

    public IReadOnlyList<Uri> ResolvedAdvertisePeerUrls => InitialAdvertisePeerUrls ?? ListenPeerUrls;

    public const string ClusterStateNew = "new";

    public const string ClusterStateExisting = "existing";

    /// <summary>
    /// The members --initial-cluster names, IDs computed as etcd computes them; without the flag,
    /// this member alone at its advertised peer URLs (etcd's default "default=http://localhost:2380"
    /// says the same). Throws ArgumentException with etcd's message for a malformed value.
    /// </summary>
    public IReadOnlyList<RestoredMember> ResolvedInitialCluster =>
        InitialCluster is null
            ? [new RestoredMember(Name, ClusterIdentity.ComputeMemberId(ResolvedAdvertisePeerUrls, InitialClusterToken), ResolvedAdvertisePeerUrls)]
            : SnapshotRestore.ParseInitialCluster(InitialCluster, InitialClusterToken);

    public long ResolvedQuotaBytes => QuotaBackendBytes == 0 ? DefaultQuotaBytes : QuotaBackendBytes;

    /// <summary>etcd's checks of its flags (embed.Config.Validate), with its messages; null when the options are usable.</summary>
    public string? Validate()
    {
        var heartbeat = (long)HeartbeatInterval.TotalMilliseconds;
        var election = (long)ElectionTimeout.TotalMilliseconds;
        var notHttp = ListenClientUrls.Concat(ListenMetricsUrls).FirstOrDefault(url => url.Scheme != Uri.UriSchemeHttp);
        if (ValidateInitialCluster() is { } cluster)
        {
            return cluster;
        }

        return true switch
        {
            _ when string.IsNullOrWhiteSpace(Name) => "--name must not be empty",
            _ when ListenClientUrls.Count == 0 => "--listen-client-urls must name at least one URL",
            _ when notHttp is not null => $"unsupported scheme in listen URL {notHttp}: only http (h2c) is served for now",
            _ when heartbeat <= 0 => $"--heartbeat-interval must be >0 (set to {heartbeat}ms)",
            _ when election <= 0 => $"--election-timeout must be >0 (set to {election}ms)",
            _ when 5 * heartbeat > election => $"--election-timeout[{election}ms] should be at least as 5 times as --heartbeat-interval[{heartbeat}ms]",
            _ when election > MaxElectionTimeoutMs => $"--election-timeout[{election}ms] is too long, and should be set less than {MaxElectionTimeoutMs}ms",
            _ when MaxRequestBytes <= 0 => $"--max-request-bytes must be >0 (set to {MaxRequestBytes})",
            _ when MaxTxnOps <= 0 => $"--max-txn-ops must be >0 (set to {MaxTxnOps})",
            _ when SnapshotCount < 0 => $"--snapshot-count must not be negative (set to {SnapshotCount})",
            _ when WatchProgressNotifyInterval <= TimeSpan.Zero => "--experimental-watch-progress-notify-interval must be >0",
            _ => null,
        };
    }

    /// <summary>etcd's ServerConfig.VerifyBootstrap as far as the flags alone tell.</summary>
    private string? ValidateInitialCluster()
    {
        if (InitialClusterState is not (ClusterStateNew or ClusterStateExisting))
        {
            return $"invalid value \"{InitialClusterState}\" for flag -initial-cluster-state: invalid value";
        }

        IReadOnlyList<RestoredMember> members;
        try
        {
            members = ResolvedInitialCluster;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        if (members.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return $"member exists with identical ID {duplicate.Key:x}";
        }

        var self = members.FirstOrDefault(m => m.Name == Name);
        if (self is null)
        {
            return $"couldn't find local name \"{Name}\" in the initial cluster configuration";
        }

        static string Text(IEnumerable<Uri> urls) => string.Join(",", urls.Select(u => u.OriginalString.TrimEnd('/')).Order(StringComparer.Ordinal));
        var advertised = Text(ResolvedAdvertisePeerUrls);
        var listed = Text(self.PeerUrls);
        return advertised == listed
            ? null
            : $"--initial-cluster has {Name}={listed} but missing from --initial-advertise-peer-urls={advertised} (resolved urls: \"{advertised}\" != \"{listed}\")";
    }

    /// <summary>etcd's upper bound on the election timeout.</summary>
    public const long MaxElectionTimeoutMs = 50_000;

    /// <summary>etcd's minimum lease TTL: one and a half election timeouts, in whole seconds rounded up.</summary>
    public long MinLeaseTtlSeconds => (long)Math.Ceiling(ElectionTimeout.TotalSeconds * 1.5);
}
