using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// What the peer endpoints (<see cref="PeerEndpoints.MapPeerEndpoints"/>) need from the member:
/// etcd's rafthttp.Raft plus the few facts its peer handlers serve. <see cref="RaftPeerHandler"/>
/// is the implementation on a <see cref="RaftHost"/>.
/// </summary>
public interface IPeerHandler
{
    /// <summary>Requests carrying another cluster ID are refused (412).</summary>
    ulong ClusterId { get; }

    /// <summary>
    /// The messages that arrived together on a peer's stream, in order. Called for every read of
    /// the stream: may do the member's work of one round (persist, send) but must not wait for more.
    /// </summary>
    void Step(IReadOnlyList<Message> messages);

    /// <summary>
    /// A MsgSnap and the leader's database after it: keep the database (durably) where the state
    /// machine restores from, then step the message. Completes once both are done; a failure
    /// answers the leader with 500 and it reports the snapshot failed.
    /// </summary>
    Task ReceiveSnapshotAsync(Message message, Stream database, CancellationToken cancellationToken);

    /// <summary>A member removed from the cluster: its requests are refused (410 Gone), and it stops.</summary>
    bool IsRemoved(ulong memberId) => false;

    /// <summary>The cluster's members, for <c>GET /members</c>.</summary>
    IReadOnlyList<PeerMember> Members();
}
