using System.Collections.Concurrent;
using System.Threading.Channels;
using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Server.Services;

/// <summary>
/// One client's watch stream (etcd's serverWatchStream): a receive loop that creates and cancels
/// watchers, and a send loop that drains one ordered queue of responses to the client. Control
/// responses (created, canceled) and events share the queue, so a watch's "created" always
/// precedes its events and its "canceled" follows them.
/// </summary>
public sealed class WatchStream : IWatchSink, IAsyncDisposable
{
    /// <summary>Responses queued per stream before its watchers fall back to catching up (etcd: 128).</summary>
    public const int QueueCapacity = 128;

    private readonly StoreServer _server;
    private readonly IServerStreamWriter<WatchResponse> _responses;
    private readonly int _maxRequestBytes;
    private readonly Channel<WatchResponse> _queue = Channel.CreateBounded<WatchResponse>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    // Written by the receive loop, read and trimmed by the send loop.
    private readonly ConcurrentDictionary<long, Watcher> _watchers = new();
    private readonly ConcurrentDictionary<long, bool> _fragmented = new();
    private long _nextId;

    public WatchStream(StoreServer server, IServerStreamWriter<WatchResponse> responses, int maxRequestBytes)
    {
        _server = server;
        _responses = responses;
        _maxRequestBytes = maxRequestBytes;
    }

    public bool TrySend(WatchResponse response) => _queue.Writer.TryWrite(response);

    public async Task RunAsync(IAsyncStreamReader<WatchRequest> requests, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = SendLoopAsync(stop.Token);
        try
        {
            while (await requests.MoveNext(stop.Token).ConfigureAwait(false))
            {
                var request = requests.Current;
                switch (request.RequestUnionCase)
                {
                    case WatchRequest.RequestUnionOneofCase.CreateRequest:
                        await CreateAsync(request.CreateRequest, stop.Token).ConfigureAwait(false);
                        break;
                    case WatchRequest.RequestUnionOneofCase.CancelRequest:
                        await CancelAsync(request.CancelRequest.WatchId, stop.Token).ConfigureAwait(false);
                        break;
                    case WatchRequest.RequestUnionOneofCase.ProgressRequest:
                        _server.WatchHub.RequestProgress(this);
                        break;
                }
            }

            // The client closed its side: like etcd, keep sending until it goes away.
            await sender.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await sender.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var watcher in _watchers.Values)
        {
            _server.WatchHub.Unregister(watcher);
        }

        _watchers.Clear();
        _queue.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private async Task CreateAsync(WatchCreateRequest create, CancellationToken cancellationToken)
    {
        // etcd: an empty key means "\0", the smallest key; a range end of "\0" means every key after it.
        var key = create.Key.IsEmpty ? new byte[] { 0 } : create.Key.ToByteArray();
        var range = create.RangeEnd.IsEmpty ? KeyRange.ForKey(key)
            : create.RangeEnd.Length == 1 && create.RangeEnd[0] == 0 ? KeyRange.From(key)
            : KeyRange.Between(key, create.RangeEnd.ToByteArray());

        var revision = _server.WatchHub.Revision;
        var id = create.WatchId;
        string? error = null;
        if (range is { IsSingleKey: false, IsUnbounded: false } && range.Key.AsSpan().SequenceCompareTo(range.End) >= 0)
        {
            error = "mvcc: watcher range is empty"; // etcd refuses a range that holds no key
        }
        else if (id != 0 && _watchers.ContainsKey(id))
        {
            error = "mvcc: duplicate watch ID provided on the WatchStream";
        }
        else if (id == 0)
        {
            while (_watchers.ContainsKey(_nextId))
            {
                _nextId++;
            }

            id = _nextId++;
        }

        if (error is not null)
        {
            await _queue.Writer.WriteAsync(
                new WatchResponse { Header = _server.Header(revision), WatchId = -1, Created = true, Canceled = true, CancelReason = error },
                cancellationToken).ConfigureAwait(false);
            return;
        }

        var watcher = new Watcher(id, range, create.StartRevision == 0 ? revision + 1 : create.StartRevision, this)
        {
            FilterPuts = create.Filters.Contains(WatchCreateRequest.Types.FilterType.Noput),
            FilterDeletes = create.Filters.Contains(WatchCreateRequest.Types.FilterType.Nodelete),
            PrevKv = create.PrevKv,
            ProgressNotify = create.ProgressNotify,
        };
        if (create.Fragment)
        {
            _fragmented[id] = true;
        }

        _watchers[id] = watcher;
        await _queue.Writer.WriteAsync(new WatchResponse { Header = _server.Header(revision), WatchId = id, Created = true }, cancellationToken).ConfigureAwait(false);
        _server.WatchHub.Register(watcher);
    }

    private async Task CancelAsync(long id, CancellationToken cancellationToken)
    {
        if (!_watchers.TryRemove(id, out var watcher))
        {
            return; // etcd ignores cancels of unknown watches
        }

        _server.WatchHub.Unregister(watcher);
        await _queue.Writer.WriteAsync(new WatchResponse { Header = _server.Header(_server.WatchHub.Revision), WatchId = id, Canceled = true }, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var response in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_fragmented.ContainsKey(response.WatchId) && response.Events.Count > 1 && response.CalculateSize() >= _maxRequestBytes)
            {
                await SendFragmentsAsync(response, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (response.CompactRevision != 0)
            {
                _watchers.TryRemove(response.WatchId, out _);
            }
        }
    }

    /// <summary>etcd's sendFragments: split a large response into several, all but the last marked as fragments.</summary>
    private async Task SendFragmentsAsync(WatchResponse response, CancellationToken cancellationToken)
    {
        var index = 0;
        while (index < response.Events.Count)
        {
            var part = new WatchResponse(response) { Fragment = true };
            part.Events.Clear();
            while (index < response.Events.Count)
            {
                part.Events.Add(response.Events[index]);
                if (part.Events.Count > 1 && part.CalculateSize() >= _maxRequestBytes)
                {
                    part.Events.RemoveAt(part.Events.Count - 1);
                    break;
                }

                index++;
            }

            part.Fragment = index < response.Events.Count;
            await _responses.WriteAsync(part, cancellationToken).ConfigureAwait(false);
        }
    }
}
