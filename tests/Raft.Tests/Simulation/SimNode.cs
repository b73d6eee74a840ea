using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests.Simulation;

/// <summary>
/// One simulated member: its durable storage survives a crash, everything else (the RawNode and
/// the in-memory state machine) does not.
/// </summary>
internal sealed class SimNode(ulong id)
{
    public ulong Id { get; } = id;

    public MemoryRaftStorage Storage { get; set; } = new();

    /// <summary>Null while crashed (or after it was removed and shut down).</summary>
    public RawNode? Node { get; set; }

    /// <summary>A member that applied its own removal is shut down for good, as a host would.</summary>
    public bool Decommissioned { get; set; }

    /// <summary>The state machine: a running hash of everything applied, and the index it is at.</summary>
    public ulong StateHash { get; set; }

    public ulong Applied { get; set; }

    public ConfState ConfState { get; set; } = new();

    public bool WasLeader { get; set; }

    public ulong LeaderTerm { get; set; }

    public bool Up => Node is not null;
}
