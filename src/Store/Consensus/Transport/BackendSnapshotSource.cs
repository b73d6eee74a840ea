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
/// <remarks>
/// The bolt writer places pages where they belong and the meta pages last, so it needs a seekable
/// file: the database is written to a temporary file in <paramref name="temporaryDirectory"/>
/// (the system's by default), streamed from there, and deleted.
/// </remarks>
public sealed class BackendSnapshotSource(IBackend backend, ClusterIdentity identity, string? temporaryDirectory = null) : ISnapshotSource
{
    private const int BufferSize = 1 << 16;

    public void WriteSnapshot(Stream destination)
    {
        var directory = temporaryDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"send-{Guid.NewGuid():N}.snap.db.tmp");
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.DeleteOnClose);
        using (var view = backend.OpenView())
        {
            EtcdSnapshotWriter.Write(view, identity, noSpaceAlarm: false, file);
        }

        file.Position = 0;
        file.CopyTo(destination, BufferSize);
    }
}
