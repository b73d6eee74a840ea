namespace MiniKube.Client.Queues;

/// <summary>
/// client-go's workqueue.Type: a FIFO of distinct items with two sets that make it safe for many workers.
/// <c>dirty</c> holds items that need processing, <c>processing</c> those a worker holds. An item is never handed to
/// two workers at once: adding one that is being processed only marks it dirty, and <see cref="Done"/> puts it
/// back in the queue. Adding an item already waiting does nothing. Thread-safe.
/// </summary>
public class WorkQueue<T>
    where T : notnull
{
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly LinkedList<TaskCompletionSource<(T Item, bool Shutdown)>> _waiters = new();
    private bool _shuttingDown;

    protected Lock SyncRoot { get; } = new();

    /// <summary>Items waiting (not those being processed).</summary>
    public int Count
    {
        get
        {
            lock (SyncRoot)
            {
                return _queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (SyncRoot)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        lock (SyncRoot)
        {
            if (_shuttingDown || !_dirty.Add(item) || _processing.Contains(item))
            {
                return;
            }

            EnqueueLocked(item);
        }
    }

    /// <summary>
    /// Waits for an item and marks it processing; the caller must call <see cref="Done"/> with it. Shutdown is true
    /// (and the item default) once the queue is shut down and empty: the worker should exit.
    /// </summary>
    public ValueTask<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default)
    {
        lock (SyncRoot)
        {
            if (_queue.Count > 0)
            {
                return ValueTask.FromResult((TakeLocked(), false));
            }

            if (_shuttingDown)
            {
                return ValueTask.FromResult((default(T)!, true));
            }

            var waiter = new TaskCompletionSource<(T, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = _waiters.AddLast(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() =>
                {
                    lock (SyncRoot)
                    {
                        if (node.List is not null)
                        {
                            _waiters.Remove(node);
                            waiter.TrySetCanceled(cancellationToken);
                        }
                    }
                });
                waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }

            return new ValueTask<(T, bool)>(waiter.Task);
        }
    }

    /// <summary>Ends the processing of <paramref name="item"/>; if it was added meanwhile, it is queued again.</summary>
    public void Done(T item)
    {
        lock (SyncRoot)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                EnqueueLocked(item);
            }
        }
    }

    /// <summary>Refuses new items; workers drain what is queued, then get Shutdown.</summary>
    public virtual void ShutDown()
    {
        lock (SyncRoot)
        {
            _shuttingDown = true;
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.TrySetResult((default!, true));
            }
        }
    }

    /// <summary>Caller must hold SyncRoot; the item is already in dirty.</summary>
    private void EnqueueLocked(T item)
    {
        if (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _dirty.Remove(item);
            _processing.Add(item);
            first.Value.TrySetResult((item, false));
            return;
        }

        _queue.Enqueue(item);
    }

    /// <summary>Caller must hold SyncRoot.</summary>
    private T TakeLocked()
    {
        var item = _queue.Dequeue();
        _processing.Add(item);
        _dirty.Remove(item);
        return item;
    }
}
