namespace MiniKube.Raft;

/// <summary>How sending a snapshot to a follower ended, as the host reports it.</summary>
public enum SnapshotStatus
{
    Finish,
    Failure,
}
