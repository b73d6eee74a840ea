namespace MiniKube.Raft;

/// <summary>
/// The last indexes of the MsgApp messages sent to one follower and not acknowledged yet: a ring
/// buffer that caps how many are in flight (MaxInflightMsgs), the flow control of etcd raft's
/// <c>tracker/inflights.go</c>.
/// </summary>
internal sealed class Inflights
{
    private readonly ulong[] _buffer;
    private int _start;

    public int Count { get; private set; }

    public int Capacity => _buffer.Length;

    public Inflights(int capacity) => _buffer = new ulong[capacity];

    public bool Full => Count == _buffer.Length;

    /// <summary>Records a message whose last entry is <paramref name="index"/>; indexes only grow.</summary>
    public void Add(ulong index)
    {
        if (Full)
        {
            throw new InvalidOperationException("cannot add into a Full inflights");
        }
        _buffer[(_start + Count) % _buffer.Length] = index;
        Count++;
    }

    /// <summary>Frees every message whose last index is ≤ <paramref name="to"/> (acknowledged).</summary>
    public void FreeLE(ulong to)
    {
        if (Count == 0 || to < _buffer[_start])
        {
            return;
        }
        var freed = 0;
        var idx = _start;
        while (freed < Count && _buffer[idx] <= to)
        {
            freed++;
            idx = (idx + 1) % _buffer.Length;
        }
        Count -= freed;
        _start = Count == 0 ? 0 : idx;
    }

    /// <summary>Frees one slot so a paused follower that answers heartbeats gets one more message.</summary>
    public void FreeFirstOne()
    {
        if (Count > 0)
        {
            FreeLE(_buffer[_start]);
        }
    }

    public void Reset()
    {
        Count = 0;
        _start = 0;
    }
}
