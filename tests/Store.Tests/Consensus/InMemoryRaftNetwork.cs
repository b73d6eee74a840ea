using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>Delivers Raft messages between hosts in one process; a member can be cut off (both directions).</summary>
public sealed class InMemoryRaftNetwork
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, RaftHost> _hosts = [];
    private readonly HashSet<ulong> _cut = [];

    public void Register(RaftHost host)
    {
        lock (_lock)
        {
            _hosts[host.Id] = host;
        }
    }

    public void Cut(ulong id)
    {
        lock (_lock)
        {
            _cut.Add(id);
        }
    }

    public IRaftTransport TransportFor(ulong id) => new Transport(this, id);

    private void Deliver(ulong from, IReadOnlyList<Message> messages)
    {
        foreach (var message in messages)
        {
            RaftHost? target;
            lock (_lock)
            {
                if (_cut.Contains(from) || _cut.Contains(message.To) || !_hosts.TryGetValue(message.To, out target))
                {
                    continue;
                }
            }

            target.Step(message.Clone());
        }
    }

    private sealed class Transport(InMemoryRaftNetwork network, ulong id) : IRaftTransport
    {
        public void Send(IReadOnlyList<Message> messages) => network.Deliver(id, messages);
    }
}
