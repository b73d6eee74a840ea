using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus.Transport;

namespace MiniKube.Store.Tests.Consensus.Transport;

/// <summary>
/// A peer handler whose member comes and goes (a listener can be up before its host exists, and a
/// restarted member is a new host behind the same URL). Without a member, messages are dropped.
/// </summary>
public sealed class SwitchableHandler(ulong clusterId) : IPeerHandler
{
    private volatile IPeerHandler? _inner;

    public IPeerHandler? Inner
    {
        get => _inner;
        set => _inner = value;
    }

    public ulong ClusterId => clusterId;

    public List<PeerMember> KnownMembers { get; } = [];

    public void Step(IReadOnlyList<Message> messages) => _inner?.Step(messages);

    public Task ReceiveSnapshotAsync(Message message, Stream database, CancellationToken cancellationToken) =>
        _inner?.ReceiveSnapshotAsync(message, database, cancellationToken) ?? throw new InvalidOperationException("member is down");

    public IReadOnlyList<PeerMember> Members() => KnownMembers;
}
