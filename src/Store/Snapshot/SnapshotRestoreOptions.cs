namespace MiniKube.Store.Snapshot;

/// <summary>The flags of <c>etcdctl snapshot restore</c>, with its defaults.</summary>
public sealed record SnapshotRestoreOptions
{
    public required string SnapshotPath { get; init; }

    public string Name { get; init; } = "default";

    /// <summary>Defaults to "&lt;name&gt;.etcd", as etcdctl's.</summary>
    public string? DataDir { get; init; }

    /// <summary>"name=peerURL,…" of every member of the new cluster.</summary>
    public string InitialCluster { get; init; } = "default=http://localhost:2380";

    public string InitialClusterToken { get; init; } = "etcd-cluster";

    public IReadOnlyList<Uri> InitialAdvertisePeerUrls { get; init; } = [new("http://localhost:2380")];

    public bool SkipHashCheck { get; init; }

    public string ResolvedDataDir => DataDir ?? $"{Name}.etcd";
}
