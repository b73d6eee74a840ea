using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// Delivers Raft messages between hosts in one process, on the sender's thread, or, once held, on
/// the thread that calls <see cref="DeliverHeld"/>; a member can be cut off (both directions).
/// </summary>
public sealed class InMemoryRaftNetwork
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, RaftHost> _hosts = [];
    private readonly HashSet<ulong> _cut = [];
    private Queue<(ulong From, Message Message)>? _held;

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

    /// <summary>From now on messages wait for <see cref="DeliverHeld"/> (as a peer stream brings them on its own thread).</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _held ??= new Queue<(ulong, Message)>();
        }
    }

    /// <summary>Delivers the messages held so far, in order, on this thread; returns whether there were any.</summary>
    public bool DeliverHeld()
    {
        List<(ulong From, Message Message)> held;
        lock (_lock)
        {
            held = [.. _held ?? []];
            _held?.Clear();
        }

        foreach (var (from, message) in held)
        {
            Deliver(from, [message], holding: false);
        }

        return held.Count > 0;
    }

    public IRaftTransport TransportFor(ulong id) => new Transport(this, id);

    private void Deliver(ulong from, IReadOnlyList<Message> messages, bool holding = true)
    {
        foreach (var message in messages)
        {
            RaftHost? target;
            lock (_lock)
            {
                if (holding && _held is not null)
                {
                    _held.Enqueue((from, message.Clone()));
                    continue;
                }

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
