using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// ReadIndex requests the leader holds until a heartbeat round confirms it is still the leader
/// (etcd raft's <c>read_only.go</c>, ReadOnlySafe only). Requests are keyed by their context.
/// </summary>
internal sealed class ReadOnly
{
    private sealed class ReadIndexStatus(Message request, ulong index)
    {
        public Message Request { get; } = request;

        public ulong Index { get; } = index;

        public Dictionary<ulong, bool> Acks { get; } = [];
    }

    private readonly Dictionary<ByteString, ReadIndexStatus> _pending = [];
    private readonly List<ByteString> _queue = [];

    /// <summary>Queues a request to be answered with <paramref name="index"/> once confirmed.</summary>
    public void AddRequest(ulong index, Message m)
    {
        var ctx = m.Entries[0].Data;
        if (_pending.ContainsKey(ctx))
        {
            return;
        }
        _pending[ctx] = new ReadIndexStatus(m, index);
        _queue.Add(ctx);
    }

    /// <summary>Records a heartbeat ack carrying <paramref name="context"/>; the acks so far, or null.</summary>
    public IReadOnlyDictionary<ulong, bool>? ReceiveAck(ulong id, ByteString context)
    {
        if (!_pending.TryGetValue(context, out var rs))
        {
            return null;
        }
        rs.Acks[id] = true;
        return rs.Acks;
    }

    /// <summary>
    /// Dequeues the confirmed request and every request queued before it (a later confirmation
    /// also confirms them), as (request, read index) pairs.
    /// </summary>
    public List<(Message Request, ulong Index)> Advance(ByteString context)
    {
        var i = _queue.IndexOf(context);
        if (i < 0)
        {
            return [];
        }
        var result = new List<(Message, ulong)>(i + 1);
        foreach (var ctx in _queue.Take(i + 1))
        {
            var rs = _pending[ctx];
            result.Add((rs.Request, rs.Index));
            _pending.Remove(ctx);
        }
        _queue.RemoveRange(0, i + 1);
        return result;
    }

    /// <summary>The newest pending context: heartbeats carry it so one round confirms all of them.</summary>
    public ByteString? LastPendingRequestContext() => _queue.Count == 0 ? null : _queue[^1];
}
