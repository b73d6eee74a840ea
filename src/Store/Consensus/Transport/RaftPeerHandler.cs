using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// The peer endpoints' handler on a <see cref="RaftHost"/>: messages are stepped; a snapshot's
/// database is saved in <paramref name="snapshots"/> (where <see cref="MvccStateMachine"/> restores
/// from) before its MsgSnap is stepped, as etcd's snapshotHandler saves the db then calls Process.
/// </summary>
public sealed class RaftPeerHandler(RaftHost host, ulong clusterId, SnapshotDirectory? snapshots, Func<IReadOnlyList<PeerMember>> members, Func<ulong, bool>? isRemoved = null) : IPeerHandler
{
    public ulong ClusterId => clusterId;

    public bool IsRemoved(ulong memberId) => isRemoved?.Invoke(memberId) ?? false;

    public void Step(IReadOnlyList<Message> messages) => host.Step(messages);

    public async Task ReceiveSnapshotAsync(Message message, Stream database, CancellationToken cancellationToken)
    {
        if (snapshots is null)
        {
            throw new InvalidOperationException("this member cannot receive snapshots: it has no snapshot directory");
        }

        var index = message.Snapshot?.Metadata?.Index ?? 0;
        if (index == 0)
        {
            throw new InvalidDataException("a MsgSnap without a snapshot index");
        }

        await snapshots.SaveAsync(index, database, cancellationToken);
        host.Step(message);
    }

    public IReadOnlyList<PeerMember> Members() => members();
}
