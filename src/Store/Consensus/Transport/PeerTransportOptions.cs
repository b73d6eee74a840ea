using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>How a <see cref="PeerTransport"/> identifies itself and retries.</summary>
public sealed record PeerTransportOptions
{
    /// <summary>This member's ID, sent as X-Server-From.</summary>
    public required ulong MemberId { get; init; }

    /// <summary>Sent as X-Etcd-Cluster-ID; a peer of another cluster refuses the stream.</summary>
    public required ulong ClusterId { get; init; }

    /// <summary>Messages waiting per peer before new ones are dropped (etcd's streamBufSize).</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>The first wait after a failed connection; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Connecting and sending a snapshot give up after this.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seeds the backoff jitter, so a test's reconnect schedule replays.</summary>
    public int RandomSeed { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The leader's database for MsgSnap; without one, a MsgSnap is reported failed.</summary>
    public ISnapshotSource? SnapshotSource { get; init; }

    /// <summary>Called when a peer refuses this member as removed from the cluster (410 Gone): it must stop.</summary>
    public Action? RemovedByPeer { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
