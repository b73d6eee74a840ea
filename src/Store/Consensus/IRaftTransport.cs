using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus;

/// <summary>
/// Sends Raft messages to peers. <see cref="Send"/> must not block the host loop: a transport
/// queues per peer and, when a peer cannot be reached, calls
/// <see cref="RaftHost.ReportUnreachable"/> (and <see cref="RaftHost.ReportSnapshot"/> once a
/// snapshot message is sent or fails).
/// </summary>
public interface IRaftTransport
{
    void Send(IReadOnlyList<Message> messages);
}
