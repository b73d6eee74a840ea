using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MiniKube.Raft.Pb;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// The sending half of one peer (etcd's rafthttp peer + streamWriter): a bounded queue drained into
/// one long-lived HTTP/2 POST, re-dialled with exponential backoff when it breaks.
/// </summary>
/// <remarks>
/// Messages are queued only while the stream is up or being dialled; once a dial failed, and until
/// the next one starts, they are dropped and the peer reported unreachable, as etcd drops what it
/// cannot hand to a working stream. Raft resends what matters (heartbeats, probes, votes).
/// </remarks>
internal sealed class PeerSender : IAsyncDisposable
{
    private const int Connecting = 0;
    private const int Active = 1;
    private const int Down = 2;

    private readonly PeerTransport _transport;
    private readonly PeerTransportOptions _options;
    private readonly Channel<Message> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private volatile IReadOnlyList<Uri> _urls;
    private int _state = Connecting;
    private long _activeSinceTicks;
    private long _dropped;
    private long _sent;

    public PeerSender(PeerTransport transport, PeerTransportOptions options, ulong id, IReadOnlyList<Uri> urls)
    {
        if (urls.Count == 0)
        {
            throw new ArgumentException($"peer {PeerHeaders.FormatId(id)} has no URL", nameof(urls));
        }

        _transport = transport;
        _options = options;
        Id = id;
        _urls = urls;
        _queue = Channel.CreateBounded<Message>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails rather than block when full
            SingleReader = false,
            SingleWriter = true,
        });
        _loop = Task.Run(RunAsync);
    }

    public ulong Id { get; }

    public IReadOnlyList<Uri> Urls
    {
        get => _urls;
        set => _urls = value.Count > 0 ? value : throw new ArgumentException($"peer {PeerHeaders.FormatId(Id)} has no URL", nameof(value));
    }

    public bool IsActive => Volatile.Read(ref _state) == Active;

    /// <summary>When the current stream was accepted (etcd's peerStatus.activeSince); null while it is down.</summary>
    public DateTimeOffset? ActiveSince => Interlocked.Read(ref _activeSinceTicks) is not 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Queues <paramref name="message"/>; false (and counted as dropped) when the stream is down or the queue full. Never blocks.</summary>
    public bool TryEnqueue(Message message)
    {
        if (Volatile.Read(ref _state) != Down && _queue.Writer.TryWrite(message))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _queue.Writer.TryComplete();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        var failures = 0;
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            var urls = _urls;
            var url = urls[attempt++ % urls.Count];
            Volatile.Write(ref _state, Connecting);
            try
            {
                await StreamAsync(url, stopping);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _options.Logger.LogDebug("raft stream to {Peer} at {Url} failed: {Error}", PeerHeaders.FormatId(Id), url, e.Message);
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }

            var wasActive = Volatile.Read(ref _state) == Active;
            Volatile.Write(ref _state, Down);
            Interlocked.Exchange(ref _activeSinceTicks, 0);
            while (_queue.Reader.TryRead(out _))
            {
                Interlocked.Increment(ref _dropped);
            }

            _transport.ReportUnreachable(Id);
            failures = wasActive ? 0 : failures + 1;
            await Task.Delay(_transport.Backoff(failures), _options.TimeProvider, stopping);
        }
    }

    /// <summary>Runs one stream until it ends or fails; the state is Active from when the peer accepted it.</summary>
    private async Task StreamAsync(Uri url, CancellationToken stopping)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var request = _transport.NewRequest(url, PeerHeaders.StreamPath, Id);
        request.Content = new MessageStreamContent(_queue.Reader, count => Interlocked.Add(ref _sent, count), attempt.Token);
        try
        {
            var sending = _transport.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            HttpResponseMessage response;
            try
            {
                response = await sending.WaitAsync(_options.DialTimeout, _options.TimeProvider, stopping);
            }
            catch (TimeoutException)
            {
                await attempt.CancelAsync();
                _ = sending.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Gone)
                {
                    _options.RemovedByPeer?.Invoke();
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var reason = await response.Content.ReadAsStringAsync(attempt.Token);
                    _options.Logger.LogWarning("raft stream to {Peer} refused with {Status}: {Reason}", PeerHeaders.FormatId(Id), (int)response.StatusCode, reason.Trim());
                    return;
                }

                Interlocked.Exchange(ref _activeSinceTicks, _options.TimeProvider.GetUtcNow().UtcTicks);
                Volatile.Write(ref _state, Active);
                _options.Logger.LogDebug("raft stream to {Peer} at {Url} established", PeerHeaders.FormatId(Id), url);
                // The peer never answers on the stream; its end (or an error) is the stream's end.
                await using var body = await response.Content.ReadAsStreamAsync(attempt.Token);
                await body.CopyToAsync(Stream.Null, attempt.Token);
            }
        }
        finally
        {
            await attempt.CancelAsync();
        }
    }
}
