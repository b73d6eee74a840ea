using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Server;

/// <summary>
/// The transport of a member that has no peers to reach: a cluster of one never addresses a
/// message to anyone else, so anything given here is dropped, as an unreachable peer's would be.
/// </summary>
internal sealed class NoPeerTransport : IRaftTransport
{
    public void Send(IReadOnlyList<Message> messages)
    {
    }
}
