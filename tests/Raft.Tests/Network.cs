using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests;

/// <summary>
/// An in-memory network of <see cref="Raft"/> state machines in the manner of etcd raft's
/// <c>raft_test.go</c>: <see cref="Send"/> delivers messages and everything they cause until
/// the network is quiet; <see cref="Drop"/>, <see cref="Cut"/>, <see cref="Isolate"/>,
/// <see cref="Ignore"/> and <see cref="Recover"/> shape what gets through. A peer that is null is
/// a black hole that swallows every message.
/// </summary>
internal sealed class Network
{
    private readonly Random _rng = new(42);
    private readonly Dictionary<(ulong From, ulong To), double> _drop = [];
    private readonly HashSet<MessageType> _ignore = [];

    public SortedDictionary<ulong, Raft?> Peers { get; } = [];

    public Dictionary<ulong, MemoryRaftStorage> Storage { get; } = [];

    /// <summary>
    /// A network of <paramref name="size"/> fresh voters 1..size; ids in
    /// <paramref name="blackHoles"/> are black holes instead.
    /// </summary>
    public static Network Create(int size, bool preVote = false, bool checkQuorum = false, params ulong[] blackHoles)
    {
        var net = new Network();
        var ids = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        foreach (var id in ids)
        {
            if (blackHoles.Contains(id))
            {
                net.Peers[id] = null;
                continue;
            }
            var storage = TestRaft.Storage(ids);
            net.Storage[id] = storage;
            net.Peers[id] = TestRaft.New(id, storage, preVote: preVote, checkQuorum: checkQuorum);
        }
        return net;
    }

    /// <summary>A network of the given state machines with ids 1..n (null: a black hole).</summary>
    public static Network Of(params Raft?[] peers)
    {
        var net = new Network();
        for (var i = 0; i < peers.Length; i++)
        {
            net.Peers[(ulong)i + 1] = peers[i];
            if (peers[i]?.Log.Storage is MemoryRaftStorage s)
            {
                net.Storage[(ulong)i + 1] = s;
            }
        }
        return net;
    }

    public Raft this[ulong id] => Peers[id] ?? throw new InvalidOperationException($"peer {id} is a black hole");

    public void Send(params Message[] messages)
    {
        var queue = new Queue<Message>(messages);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            if (!Peers.TryGetValue(m.To, out var p) || p is null)
            {
                continue;
            }
            try
            {
                p.Step(m);
            }
            catch (ProposalDroppedException)
            {
            }
            foreach (var outgoing in Filter(ReadMessages(p)))
            {
                queue.Enqueue(outgoing);
            }
        }
    }

    /// <summary>Campaigns <paramref name="id"/> (a MsgHup, as etcd's tests do).</summary>
    public void Campaign(ulong id) => Send(new Message { From = id, To = id, Type = MessageType.MsgHup });

    public void Propose(ulong id, string data)
    {
        var m = new Message { From = id, To = id, Type = MessageType.MsgProp };
        m.Entries.Add(new Entry { Data = Google.Protobuf.ByteString.CopyFromUtf8(data) });
        Send(m);
    }

    public void Heartbeat(ulong id) => Send(new Message { From = id, To = id, Type = MessageType.MsgBeat });

    public void Drop(ulong from, ulong to, double probability) => _drop[(from, to)] = probability;

    public void Cut(ulong one, ulong other)
    {
        Drop(one, other, 2.0);
        Drop(other, one, 2.0);
    }

    public void Isolate(ulong id)
    {
        foreach (var other in Peers.Keys)
        {
            if (other != id)
            {
                Cut(id, other);
            }
        }
    }

    public void Ignore(MessageType type) => _ignore.Add(type);

    public void Recover()
    {
        _drop.Clear();
        _ignore.Clear();
    }

    public static List<Message> ReadMessages(Raft r)
    {
        var messages = r.Messages;
        r.Messages = [];
        return messages;
    }

    private IEnumerable<Message> Filter(List<Message> messages)
    {
        foreach (var m in messages)
        {
            if (_ignore.Contains(m.Type))
            {
                continue;
            }
            if (m.Type == MessageType.MsgHup)
            {
                throw new InvalidOperationException("unexpected MsgHup on the network");
            }
            if (_drop.TryGetValue((m.From, m.To), out var p) && _rng.NextDouble() < p)
            {
                continue;
            }
            // The receiver gets its own copy, as over a wire.
            yield return m.Clone();
        }
    }
}
