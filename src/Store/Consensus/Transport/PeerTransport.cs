using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using MiniKube.Store.Server;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// Raft messages to peers over HTTP/2 cleartext, as etcd's rafthttp.Transport: per peer, a bounded
/// queue and one long-lived streaming POST to <c>/raft/stream</c> (see <see cref="PeerSender"/>);
/// a MsgSnap goes alone by a streaming POST to <c>/raft/snapshot</c> carrying the leader's
/// database after it. <see cref="Send"/> never blocks the host loop: what cannot be queued is
/// dropped, counted, and the peer reported unreachable.
/// </summary>
/// <remarks>
/// The host and the transport need each other (the host sends through the transport, the
/// transport reports to the host), so the host is given afterwards with <see cref="Attach(RaftHost)"/>.
/// Peers are added, updated and removed at run time as membership changes.
/// </remarks>
public sealed class PeerTransport : IRaftTransport, IAsyncDisposable
{
    private readonly PeerTransportOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, PeerSender> _peers = [];
    private readonly List<Task> _snapshots = [];
    private readonly Random _jitter;
    private readonly CancellationTokenSource _stopping = new();
    private Action<ulong> _reportUnreachable = _ => { };
    private Action<ulong, SnapshotStatus> _reportSnapshot = (_, _) => { };
    private long _dropped;
    private long _snapshotsSent;
    private bool _disposed;

    public PeerTransport(PeerTransportOptions options)
    {
        _options = options;
        _jitter = new Random(options.RandomSeed);
        Client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.DialTimeout,
            // A peer that stops answering (paused, cable pulled) is noticed by pings, not only by a full window.
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(3),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    internal HttpClient Client { get; }

    /// <summary>Messages dropped because a peer's queue was full or its stream down.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped) + Peers(p => p.Dropped);

    /// <summary>Messages written to peer streams.</summary>
    public long SentMessages => Peers(p => p.Sent);

    /// <summary>Snapshots a peer accepted.</summary>
    public long SnapshotsSent => Interlocked.Read(ref _snapshotsSent);

    /// <summary>Reports go to <paramref name="host"/>: unreachable peers, snapshot outcomes.</summary>
    public void Attach(RaftHost host) => Attach(host.ReportUnreachable, host.ReportSnapshot);

    public void Attach(Action<ulong> reportUnreachable, Action<ulong, SnapshotStatus> reportSnapshot)
    {
        Volatile.Write(ref _reportUnreachable, reportUnreachable);
        Volatile.Write(ref _reportSnapshot, reportSnapshot);
    }

    /// <summary>Starts a stream to <paramref name="id"/> at the first of <paramref name="urls"/> that answers. Adding a known peer updates it.</summary>
    public void AddPeer(ulong id, IReadOnlyList<Uri> urls)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(id, _options.MemberId);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_peers.TryGetValue(id, out var existing))
            {
                existing.Urls = urls;
                return;
            }

            _peers[id] = new PeerSender(this, _options, id, urls);
        }
    }

    /// <summary>New URLs for a peer; used from its next connection.</summary>
    public void UpdatePeer(ulong id, IReadOnlyList<Uri> urls)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(id, out var sender))
            {
                throw new InvalidOperationException($"peer {PeerHeaders.FormatId(id)} is not known");
            }

            sender.Urls = urls;
        }
    }

    /// <summary>Stops sending to <paramref name="id"/>; later messages to it are dropped.</summary>
    public async Task RemovePeerAsync(ulong id)
    {
        PeerSender? sender;
        lock (_lock)
        {
            _peers.Remove(id, out sender);
        }

        if (sender is not null)
        {
            await sender.DisposeAsync();
        }
    }

    /// <summary>Whether the stream to <paramref name="id"/> is established (etcd's peer "active").</summary>
    public bool IsActive(ulong id)
    {
        lock (_lock)
        {
            return _peers.TryGetValue(id, out var sender) && sender.IsActive;
        }
    }

    /// <summary>
    /// Since when the stream to <paramref name="id"/> has been up, null while it is down or the peer
    /// unknown (etcd's Transport.ActiveSince): a stream that just came back is not yet trusted.
    /// </summary>
    public DateTimeOffset? ActiveSince(ulong id)
    {
        lock (_lock)
        {
            return _peers.TryGetValue(id, out var sender) ? sender.ActiveSince : null;
        }
    }

    public IReadOnlyList<ulong> PeerIds()
    {
        lock (_lock)
        {
            return [.. _peers.Keys];
        }
    }

    public void Send(IReadOnlyList<Message> messages)
    {
        var lastReported = 0ul;
        foreach (var message in messages)
        {
            PeerSender? sender;
            lock (_lock)
            {
                _peers.TryGetValue(message.To, out sender);
            }

            if (sender is null)
            {
                // A removed member or one not yet added: etcd drops these too.
                Interlocked.Increment(ref _dropped);
                continue;
            }

            if (message.Type == MessageType.MsgSnap)
            {
                SendSnapshot(sender, message);
            }
            else if (!sender.TryEnqueue(message) && lastReported != message.To)
            {
                lastReported = message.To;
                ReportUnreachable(message.To);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<PeerSender> senders;
        Task[] snapshots;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            senders = [.. _peers.Values];
            _peers.Clear();
            snapshots = [.. _snapshots];
        }

        await _stopping.CancelAsync();
        foreach (var sender in senders)
        {
            await sender.DisposeAsync();
        }

        await Task.WhenAll(snapshots);
        Client.Dispose();
        _stopping.Dispose();
    }

    internal void ReportUnreachable(ulong id) => Volatile.Read(ref _reportUnreachable)(id);

    /// <summary>Exponential backoff from <see cref="PeerTransportOptions.InitialBackoff"/>, with jitter in [50%, 100%] so peers do not re-dial in step.</summary>
    internal TimeSpan Backoff(int failures)
    {
        var ceiling = _options.InitialBackoff * Math.Pow(2, Math.Min(Math.Max(failures - 1, 0), 30));
        if (ceiling > _options.MaxBackoff)
        {
            ceiling = _options.MaxBackoff;
        }

        double factor;
        lock (_jitter)
        {
            factor = 0.5 + (_jitter.NextDouble() / 2);
        }

        return ceiling * factor;
    }

    internal HttpRequestMessage NewRequest(Uri peer, string path, ulong to)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(PeerHeaders.ClusterId, PeerHeaders.FormatId(_options.ClusterId));
        request.Headers.Add(PeerHeaders.From, PeerHeaders.FormatId(_options.MemberId));
        request.Headers.Add(PeerHeaders.To, PeerHeaders.FormatId(to));
        request.Headers.Add(PeerHeaders.ServerVersion, StoreServer.Version);
        return request;
    }

    private void SendSnapshot(PeerSender sender, Message message)
    {
        var task = Task.Run(async () =>
        {
            var accepted = false;
            try
            {
                accepted = await SendSnapshotAsync(sender, message, _stopping.Token);
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                _options.Logger.LogWarning("sending a snapshot at index {Index} to {Peer} failed: {Error}", message.Snapshot?.Metadata?.Index, PeerHeaders.FormatId(sender.Id), e.Message);
            }
            catch (Exception)
            {
                return; // stopping: the host is going away too
            }

            if (accepted)
            {
                Interlocked.Increment(ref _snapshotsSent);
                Volatile.Read(ref _reportSnapshot)(sender.Id, SnapshotStatus.Finish);
            }
            else
            {
                ReportUnreachable(sender.Id);
                Volatile.Read(ref _reportSnapshot)(sender.Id, SnapshotStatus.Failure);
            }
        });
        lock (_lock)
        {
            _snapshots.RemoveAll(t => t.IsCompleted);
            _snapshots.Add(task);
        }
    }

    private async Task<bool> SendSnapshotAsync(PeerSender sender, Message message, CancellationToken stopping)
    {
        if (_options.SnapshotSource is not { } source)
        {
            _options.Logger.LogWarning("cannot send a snapshot to {Peer}: this member has no snapshot source", PeerHeaders.FormatId(sender.Id));
            return false;
        }

        // etcd's snapshotSender picks among the peer's URLs and marks one unreachable when it
        // fails: here each is tried in turn until one takes the request, so a peer listening on
        // several URLs still gets its snapshot when the first is unreachable.
        var urls = sender.Urls;
        for (var i = 0; ; i++)
        {
            var url = urls[i];
            using var request = NewRequest(url, PeerHeaders.SnapshotPath, sender.Id);
            var content = new SnapshotContent(message, source);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content = content;
            HttpResponseMessage response;
            try
            {
                response = await Client.SendAsync(request, stopping);
            }
            catch (HttpRequestException e) when (i + 1 < urls.Count)
            {
                _options.Logger.LogWarning("sending a snapshot to {Peer} at {Url} failed, trying its next URL: {Error}", PeerHeaders.FormatId(sender.Id), url, e.Message);
                continue;
            }

            using (response)
            {
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
                {
                    var reason = await response.Content.ReadAsStringAsync(stopping);
                    _options.Logger.LogWarning("snapshot to {Peer} refused with {Status}: {Reason}", PeerHeaders.FormatId(sender.Id), (int)response.StatusCode, reason.Trim());
                    return false;
                }
            }

            _options.Logger.LogInformation("sent a snapshot at index {Index} ({Bytes} bytes) to {Peer} at {Url}", message.Snapshot?.Metadata?.Index, content.DatabaseBytes, PeerHeaders.FormatId(sender.Id), url);
            return true;
        }
    }

    private long Peers(Func<PeerSender, long> value)
    {
        lock (_lock)
        {
            return _peers.Values.Sum(value);
        }
    }
}
