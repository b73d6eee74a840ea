namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// Where the leader's transport gets the database it sends after a MsgSnap: a consistent copy of
/// the state machine at an applied index at or above the snapshot's (etcd's backend snapshot).
/// </summary>
public interface ISnapshotSource
{
    /// <summary>Writes the database to <paramref name="destination"/>. Called off the host loop, possibly concurrently with applies.</summary>
    void WriteSnapshot(Stream destination);
}
