using MiniKube.Store.Backend;
using MiniKube.Store.Server;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// The leader's database for a MsgSnap: a point-in-time view of the backend written as an etcd
/// snapshot (what <c>etcdctl snapshot save</c> gets), so the follower restores it with the same
/// reader <c>snapshot restore</c> uses. The view is taken after the Raft snapshot it follows, so its
/// consistent index is at or above the snapshot's index; the follower skips entries it already holds.
/// </summary>
public sealed class BackendSnapshotSource(IBackend backend, ClusterIdentity identity) : ISnapshotSource
{
    public void WriteSnapshot(Stream destination)
    {
        using var view = backend.OpenView();
        EtcdSnapshotWriter.Write(view, identity, noSpaceAlarm: false, destination);
    }
}
