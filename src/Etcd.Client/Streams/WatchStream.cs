using System.Threading.Channels;
using Etcdserverpb;
using MiniKube.Etcd.Client.Transport;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Streams;

/// <summary>
/// All of a client's watches on one gRPC Watch stream (clientv3's watchGrpcStream). A loop owns
/// the stream: it opens it when the first watch arrives, creates every watch on it, routes
/// responses by watch ID, and when the stream fails opens a new one (on the next endpoint if the
/// pinned one is unreachable) and creates every watch again from its next revision. When the
/// last watch goes, the stream is closed.
/// </summary>
/// <remarks>
/// Watch IDs are chosen by the client (etcd 3.4's watch_id), stable across streams, so creates
/// need not wait for each other. Requests on a stream leave in the order they were queued, so a
/// watch's cancel always follows its create.
/// </remarks>
internal sealed class WatchStream(EndpointPool pool, EtcdClientOptions options) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, WatchSubscription> _subscriptions = [];
    private readonly CancellationTokenSource _disposed = new();
    private Generation? _current;
    private Task _loop = Task.CompletedTask;
    private bool _running;
    private bool _closed;
    private long _lastId;

    public WatchSubscription Add(WatchCreateRequest create)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(EtcdClient));
            var subscription = new WatchSubscription(++_lastId, create);
            _subscriptions.Add(subscription.Id, subscription);
            if (_current is { } generation)
            {
                SendCreateLocked(generation, subscription);
            }
            else if (!_running)
            {
                _running = true;
                _loop = Task.Run(RunAsync);
            }

            return subscription;
        }
    }

    /// <summary>Cancels a watch; when it was the last one, closes the stream.</summary>
    public void Remove(WatchSubscription subscription)
    {
        Generation? idle = null;
        lock (_lock)
        {
            if (!_subscriptions.Remove(subscription.Id))
            {
                return;
            }

            subscription.Close();
            if (_current is { } generation)
            {
                if (subscription.Stream == generation)
                {
                    generation.Outbox.Writer.TryWrite(new WatchRequest { CancelRequest = new WatchCancelRequest { WatchId = subscription.Id } });
                }

                if (_subscriptions.Count == 0)
                {
                    generation.ClosedIdle = true;
                    idle = generation;
                }
            }
        }

        idle?.Cancel();
    }

    public void RequestProgress()
    {
        lock (_lock)
        {
            _current?.Outbox.Writer.TryWrite(new WatchRequest { ProgressRequest = new WatchProgressRequest() });
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            FailAllLocked(new ObjectDisposedException(nameof(EtcdClient), "The client was disposed."));
        }

        // Outside the lock: cancellation runs the loop's continuations inline.
        await _disposed.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _disposed.Dispose();
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff(options.MaxRetryBackoff, options.TimeProvider);
        while (true)
        {
            Generation generation;
            lock (_lock)
            {
                if (_closed || _subscriptions.Count == 0)
                {
                    _running = false;
                    return;
                }

                var endpoint = pool.Pinned;
                generation = new Generation(endpoint, endpoint.Channel.DuplexStreaming(EtcdMethods.Watch, new CallOptions(CancellationToken: _disposed.Token)));
                _current = generation;
                foreach (var subscription in _subscriptions.Values)
                {
                    SendCreateLocked(generation, subscription);
                }
            }

            var failure = await PumpAsync(generation).ConfigureAwait(false);
            lock (_lock)
            {
                _current = null;
            }

            generation.Dispose();
            if (generation.ClosedIdle || _disposed.IsCancellationRequested)
            {
                continue;
            }

            if (failure is RpcException rpc && !IsRetryable(rpc))
            {
                lock (_lock)
                {
                    FailAllLocked(EtcdException.FromRpc(rpc, generation.Endpoint.Address));
                }

                continue;
            }

            if (generation.Answered)
            {
                backoff.Reset();
            }

            pool.ReportFailure(generation.Endpoint);
            try
            {
                await backoff.DelayAsync(_disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // disposed: the next round ends the loop
            }
        }
    }

    /// <summary>Runs one stream until it ends; returns why it ended (null: the server closed it).</summary>
    private async Task<Exception?> PumpAsync(Generation generation)
    {
        var sender = SendAsync(generation);
        Exception? failure = null;
        try
        {
            var responses = generation.Call.ResponseStream;
            while (await responses.MoveNext(generation.Stop.Token).ConfigureAwait(false))
            {
                if (!generation.Answered)
                {
                    generation.Answered = true;
                    pool.ReportSuccess(generation.Endpoint);
                }

                Dispatch(generation, responses.Current);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        generation.Cancel();
        await sender.ConfigureAwait(false);

        // When sending broke the stream, the receive side only saw its own cancellation.
        return generation.SendFailure ?? failure;
    }

    private static async Task SendAsync(Generation generation)
    {
        try
        {
            await foreach (var request in generation.Outbox.Reader.ReadAllAsync(generation.Stop.Token).ConfigureAwait(false))
            {
                await generation.Call.RequestStream.WriteAsync(request, generation.Stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            if (!generation.Stop.IsCancellationRequested)
            {
                generation.SendFailure = e;
            }

            generation.Cancel();
        }
    }

    private void Dispatch(Generation generation, WatchResponse response)
    {
        lock (_lock)
        {
            if (response.Created)
            {
                OnCreatedLocked(generation, response);
                return;
            }

            if (response.WatchId == -1)
            {
                // An answer to RequestProgress, for every watch on the stream. It does not move a
                // watch's next revision: etcd 3.4 may send it ahead of events still queued.
                foreach (var subscription in _subscriptions.Values)
                {
                    if (subscription.Stream == generation && !generation.AwaitingCreate.Contains(subscription))
                    {
                        subscription.Deliver(new WatchUpdate(response.Header, []));
                    }
                }

                return;
            }

            if (!_subscriptions.TryGetValue(response.WatchId, out var watch) || watch.Stream != generation)
            {
                return; // canceled by its owner; the server has not seen the cancel yet
            }

            if (response.CompactRevision != 0 || response.Canceled)
            {
                _subscriptions.Remove(watch.Id);
                watch.Fail(response.CompactRevision != 0 ? new EtcdCompactedException(response.CompactRevision) : new EtcdWatchCanceledException(response.CancelReason));
                return;
            }

            if (response.Fragment)
            {
                (watch.Fragments ??= []).AddRange(response.Events);
                return;
            }

            IReadOnlyList<Mvccpb.Event> events = response.Events;
            if (watch.Fragments is { } fragments)
            {
                fragments.AddRange(response.Events);
                events = fragments;
                watch.Fragments = null;
            }

            if (events.Count == 0)
            {
                // A progress notification for this watch: the server sends it only once the watch
                // has been sent every event up to the header's revision.
                watch.NextRevision = Math.Max(watch.NextRevision, response.Header.Revision + 1);
                watch.Deliver(new WatchUpdate(response.Header, []));
                return;
            }

            // After a re-create, anything before the next revision was delivered already.
            var fresh = events.Where(e => e.Kv.ModRevision >= watch.NextRevision).ToList();
            if (fresh.Count == 0)
            {
                return;
            }

            watch.NextRevision = fresh[^1].Kv.ModRevision + 1;
            watch.Deliver(new WatchUpdate(response.Header, fresh));
        }
    }

    private void OnCreatedLocked(Generation generation, WatchResponse response)
    {
        // A create the server refused without naming the watch (ID -1) is the oldest one pending:
        // the server answers creates in the order it received them.
        var index = response.WatchId == -1 ? (generation.AwaitingCreate.Count > 0 ? 0 : -1)
            : generation.AwaitingCreate.FindIndex(s => s.Id == response.WatchId);
        if (index < 0)
        {
            return;
        }

        var watch = generation.AwaitingCreate[index];
        generation.AwaitingCreate.RemoveAt(index);
        if (!_subscriptions.ContainsKey(watch.Id))
        {
            return; // canceled meanwhile; its cancel request follows
        }

        if (response.Canceled || response.WatchId == -1)
        {
            _subscriptions.Remove(watch.Id);
            watch.Fail(response.CompactRevision != 0 ? new EtcdCompactedException(response.CompactRevision) : new EtcdWatchCanceledException(response.CancelReason));
            return;
        }

        if (watch.NextRevision == 0)
        {
            // "From now" means from the revision after the one the server had reached.
            watch.NextRevision = response.Header.Revision + 1;
        }

        watch.Created.TrySetResult();
    }

    private static void SendCreateLocked(Generation generation, WatchSubscription watch)
    {
        var create = watch.Create.Clone();
        create.WatchId = watch.Id;
        create.StartRevision = watch.NextRevision;
        watch.Stream = generation;
        watch.Fragments = null;
        generation.AwaitingCreate.Add(watch);
        generation.Outbox.Writer.TryWrite(new WatchRequest { CreateRequest = create });
    }

    private void FailAllLocked(Exception error)
    {
        foreach (var watch in _subscriptions.Values)
        {
            watch.Fail(error);
        }

        _subscriptions.Clear();
    }

    /// <summary>
    /// Failures a new stream may not have: a lost connection, a member without a leader, a reset
    /// stream (clientv3's isHaltErr, inverted). Others (permission, invalid request) end every watch.
    /// </summary>
    private static bool IsRetryable(RpcException error) => error.StatusCode is StatusCode.Unavailable or StatusCode.Internal
        or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.DeadlineExceeded or StatusCode.Aborted;

    /// <summary>One gRPC Watch stream and the requests queued for it.</summary>
    private sealed class Generation(Endpoint endpoint, DuplexStreamingCall<WatchRequest, WatchResponse> call) : IDisposable
    {
        public Endpoint Endpoint { get; } = endpoint;

        public DuplexStreamingCall<WatchRequest, WatchResponse> Call { get; } = call;

        public Channel<WatchRequest> Outbox { get; } = Channel.CreateUnbounded<WatchRequest>(new UnboundedChannelOptions { SingleReader = true });

        public CancellationTokenSource Stop { get; } = new();

        /// <summary>Watches whose create has been queued on this stream but not yet answered, oldest first.</summary>
        public List<WatchSubscription> AwaitingCreate { get; } = [];

        /// <summary>Closed because no watch is left, not because it failed.</summary>
        public bool ClosedIdle { get; set; }

        /// <summary>The server sent at least one response on it.</summary>
        public bool Answered { get; set; }

        /// <summary>Why sending on it failed, when that is what ended it.</summary>
        public Exception? SendFailure { get; set; }

        public void Cancel()
        {
            Outbox.Writer.TryComplete();
            try
            {
                Stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            Cancel();
            Call.Dispose();
            Stop.Dispose();
        }
    }
}
