namespace MiniKube.Client.Queues;

/// <summary>
/// A <see cref="WorkQueue{T}"/> that can add items later (client-go's DelayingInterface). An item waiting already
/// keeps the earlier of its two ready times. Time comes from the injected <see cref="TimeProvider"/>, so tests
/// advance a fake clock instead of sleeping.
/// </summary>
public class DelayingQueue<T> : WorkQueue<T>, IDisposable
    where T : notnull
{
    private readonly TimeProvider _time;
    private readonly Dictionary<T, DateTimeOffset> _waitingFor = [];
    private readonly PriorityQueue<T, DateTimeOffset> _heap = new();
    private readonly ITimer _timer;

    public DelayingQueue(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _timer = _time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    protected TimeProvider Time => _time;

    /// <summary>Items waiting for their time.</summary>
    public int WaitingCount
    {
        get
        {
            lock (SyncRoot)
            {
                return _waitingFor.Count;
            }
        }
    }

    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (SyncRoot)
        {
            if (ShuttingDown)
            {
                return;
            }

            var readyAt = _time.GetUtcNow() + delay;
            if (_waitingFor.TryGetValue(item, out var existing) && existing <= readyAt)
            {
                return;
            }

            _waitingFor[item] = readyAt;
            _heap.Enqueue(item, readyAt);
            ArmLocked();
        }
    }

    public override void ShutDown()
    {
        lock (SyncRoot)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _waitingFor.Clear();
            _heap.Clear();
        }

        base.ShutDown();
    }

    public void Dispose()
    {
        _timer.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Flush()
    {
        var ready = new List<T>();
        lock (SyncRoot)
        {
            var now = _time.GetUtcNow();
            while (_heap.TryPeek(out var item, out var at) && at <= now)
            {
                _heap.Dequeue();
                // A stale heap entry: the item was re-added with an earlier time and has already fired.
                if (_waitingFor.TryGetValue(item, out var current) && current == at)
                {
                    _waitingFor.Remove(item);
                    ready.Add(item);
                }
            }

            ArmLocked();
        }

        foreach (var item in ready)
        {
            Add(item);
        }
    }

    /// <summary>Caller must hold SyncRoot.</summary>
    private void ArmLocked()
    {
        while (_heap.TryPeek(out var item, out var at))
        {
            if (_waitingFor.TryGetValue(item, out var current) && current == at)
            {
                var due = at - _time.GetUtcNow();
                _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
                return;
            }

            _heap.Dequeue();
        }

        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
