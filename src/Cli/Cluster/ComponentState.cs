using System.Text.Json.Serialization;

namespace MiniKube.Cli.Cluster;

/// <summary>One process of the local cluster as <c>cluster.json</c> records it.</summary>
public sealed record ComponentState
{
    public required string Name { get; init; }

    /// <summary>The mkctl verb that runs it (see the kinds on <see cref="ClusterState"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The client port of a store member, the apiserver's port, the node agent's log port.</summary>
    public int? Port { get; init; }

    /// <summary>A store member's Raft peer port.</summary>
    public int? PeerPort { get; init; }

    /// <summary>The pid of the last start; null once stopped by <c>mkctl down</c>.</summary>
    public int? Pid { get; set; }

    [JsonIgnore]
    public Uri? ClientUrl => Kind == ClusterState.StoreKind && Port is { } p ? new Uri($"http://127.0.0.1:{p}") : null;

    [JsonIgnore]
    public Uri? PeerUrl => PeerPort is { } p ? new Uri($"http://127.0.0.1:{p}") : null;
}
