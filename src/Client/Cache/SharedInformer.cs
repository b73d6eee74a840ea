using System.Threading.Channels;
using MiniKube.Api.Meta;

namespace MiniKube.Client.Cache;

/// <summary>
/// One reflector and cache for one resource, shared by any number of event handlers (client-go's
/// sharedIndexInformer). A handler added after the start first gets an OnAdd for each cached object.
/// Objects handed to handlers and returned by the <see cref="Lister"/> are the cached instances, as in
/// client-go: NEVER mutate them; copy (ApiJson round trip) before changing anything.
/// </summary>
public sealed class SharedInformer<T> : IAsyncDisposable
    where T : class, IKubernetesObject
{
    private readonly List<Listener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<Exception>? _onHandlerError;
    private Task? _run;

    public SharedInformer(KubeClient client, ReflectorOptions? options = null, Action<Exception>? onHandlerError = null)
    {
        Indexer = new Indexer<T>();
        Reflector = new Reflector<T>(client, Indexer, Distribute, options);
        Lister = new Lister<T>(Indexer);
        _onHandlerError = onHandlerError;
    }

    public Indexer<T> Indexer { get; }

    public Lister<T> Lister { get; }

    public Reflector<T> Reflector { get; }

    public bool HasSynced => Reflector.HasSynced;

    public bool IsStarted => _run is not null;

    /// <summary>Registers a handler; dispose the result to remove it.</summary>
    public IDisposable AddEventHandler(ResourceEventHandler<T> handler)
    {
        var listener = new Listener(this, handler);
        lock (Reflector.SyncRoot)
        {
            foreach (var obj in Indexer.List())
            {
                listener.Post(new Delta<T>(DeltaType.Added, obj, null));
            }

            lock (_listeners)
            {
                _listeners.Add(listener);
            }
        }

        return listener;
    }

    public IDisposable AddEventHandler(Action<T>? onAdd = null, Action<T, T>? onUpdate = null, Action<T>? onDelete = null) =>
        AddEventHandler(new ResourceEventHandler<T> { OnAdd = onAdd, OnUpdate = onUpdate, OnDelete = onDelete });

    /// <summary>Starts the reflector in the background (once; later calls do nothing).</summary>
    public void Start()
    {
        lock (_listeners)
        {
            _run ??= Task.Run(() => Reflector.RunAsync(_stop.Token));
        }
    }

    /// <summary>
    /// True once the first list is cached and every handler registered so far has been handed it (client-go's
    /// WaitForCacheSync over the handler registrations' HasSynced): handlers run on their own loops, so a cached
    /// list is not yet a list the handlers have seen, and a scheduler that started on the first alone could find no
    /// nodes. False when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    public async Task<bool> WaitForCacheSyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Reflector.Synced.WaitAsync(cancellationToken).ConfigureAwait(false);
            List<Task> barriers = [];
            lock (Reflector.SyncRoot)
            {
                lock (_listeners)
                {
                    barriers.AddRange(_listeners.Select(l => l.PostBarrier()));
                }
            }

            await Task.WhenAll(barriers).WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }

        Listener[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Dispose();
            await listener.Completion.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>Called by the reflector under its SyncRoot.</summary>
    private void Distribute(Delta<T> delta)
    {
        lock (_listeners)
        {
            foreach (var listener in _listeners)
            {
                listener.Post(delta);
            }
        }
    }

    /// <summary>One handler's unbounded queue and the loop that drains it (client-go's processorListener).</summary>
    private sealed class Listener : IDisposable
    {
        private readonly SharedInformer<T> _owner;
        private readonly ResourceEventHandler<T> _handler;
        private readonly Channel<Notification> _queue = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });

        public Listener(SharedInformer<T> owner, ResourceEventHandler<T> handler)
        {
            _owner = owner;
            _handler = handler;
            Completion = Task.Run(PumpAsync);
        }

        public Task Completion { get; }

        public void Post(Delta<T> delta) => _queue.Writer.TryWrite(new Notification(delta, null));

        /// <summary>A task that completes once the handler has run for everything posted before it (or the listener is removed).</summary>
        public Task PostBarrier()
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_queue.Writer.TryWrite(new Notification(default, reached)))
            {
                reached.TrySetResult();
            }

            return reached.Task;
        }

        public void Dispose()
        {
            lock (_owner._listeners)
            {
                _owner._listeners.Remove(this);
            }

            _queue.Writer.TryComplete();
        }

        private async Task PumpAsync()
        {
            await foreach (var (delta, barrier) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (barrier is not null)
                {
                    barrier.TrySetResult();
                    continue;
                }

                try
                {
                    switch (delta.Type)
                    {
                        case DeltaType.Added:
                            _handler.OnAdd?.Invoke(delta.Object);
                            break;
                        case DeltaType.Updated or DeltaType.Sync:
                            _handler.OnUpdate?.Invoke(delta.Old ?? delta.Object, delta.Object);
                            break;
                        case DeltaType.Deleted:
                            _handler.OnDelete?.Invoke(delta.Old ?? delta.Object);
                            break;
                    }
                }
#pragma warning disable CA1031 // a failing handler must not stop the others' notifications
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _owner._onHandlerError?.Invoke(e);
                }
            }
        }

        /// <summary>A delta for the handler, or a barrier to complete once the handler has run for everything before it.</summary>
        private readonly record struct Notification(Delta<T> Delta, TaskCompletionSource? Barrier);
    }
}
