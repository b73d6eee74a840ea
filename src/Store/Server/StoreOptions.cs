using Microsoft.Extensions.Logging;

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

    public long ResolvedQuotaBytes => QuotaBackendBytes == 0 ? DefaultQuotaBytes : QuotaBackendBytes;

    /// <summary>etcd's minimum lease TTL: one and a half election timeouts, in whole seconds rounded up.</summary>
    public long MinLeaseTtlSeconds => (long)Math.Ceiling(ElectionTimeout.TotalSeconds * 1.5);
}
