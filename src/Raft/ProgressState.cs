namespace MiniKube.Raft;

/// <summary>How the leader is sending entries to a follower.</summary>
public enum ProgressState
{
    /// <summary>One message per heartbeat interval until the leader finds where the logs match.</summary>
    Probe,

    /// <summary>Optimistic pipelining of appends, bounded by the inflight window.</summary>
    Replicate,

    /// <summary>A snapshot is on its way; nothing else is sent until it is reported.</summary>
    Snapshot,
}
