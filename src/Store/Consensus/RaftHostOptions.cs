namespace MiniKube.Store.Consensus;

/// <summary>How a <see cref="RaftHost"/> runs: etcd's flags turned into ticks.</summary>
public sealed record RaftHostOptions
{
    /// <summary>One tick: etcd's --heartbeat-interval (the leader heartbeats every tick).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ticks without a leader before a follower campaigns: --election-timeout / --heartbeat-interval.</summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>How long a client waits for its proposal or read before "request timed out".</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>--snapshot-count: applied entries between snapshots (and log compactions).</summary>
    public ulong SnapshotCount { get; init; } = 100_000;

    /// <summary>Entries kept behind a snapshot so slow followers catch up from the log (etcd's 5000).</summary>
    public ulong SnapshotCatchUpEntries { get; init; } = 5000;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seeds the election timeout randomisation; 0 derives it from the member ID.</summary>
    public int RandomSeed { get; init; }

    /// <summary>Told how long each stage of a write took (metrics); null for none.</summary>
    public IRaftHostObserver? Observer { get; init; }

    /// <summary>Told of the failure that stopped the loop (the member then serves only errors), so it can be logged.</summary>
    public Action<Exception>? FaultObserver { get; init; }
}
