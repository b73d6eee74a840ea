using Etcdserverpb;
using MiniKube.Etcd.Client.Transport;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Streams;

/// <summary>
/// Keeps leases alive on one shared LeaseKeepAlive stream (clientv3's lessor): one loop sends a
/// keep-alive for each lease a third of its TTL after the last renewal (every 500 ms until the
/// first answer), declares a lease expired when its TTL ran out without a renewal or the server
/// no longer knows it, and re-opens the stream (on the next endpoint if need be) when it fails.
/// The stream is closed while no lease is kept alive.
/// </summary>
internal sealed class KeepAliveStream(EndpointPool pool, EtcdClientOptions options) : IAsyncDisposable
{
    /// <summary>How soon an unanswered keep-alive is sent again (clientv3: its 500 ms send loop).</summary>
    private static readonly TimeSpan Resend = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time = options.TimeProvider;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly CancellationTokenSource _disposed = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private bool _running;
    private bool _closed;

    public LeaseKeepAlive Add(long leaseId)
    {
        var handle = new LeaseKeepAlive(leaseId, this);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(EtcdClient));
            if (!_leases.TryGetValue(leaseId, out var lease))
            {
                _leases[leaseId] = lease = new Lease { NextSend = _time.GetUtcNow() };
            }

            lease.Handles.Add(handle);
            if (!_running)
            {
                _running = true;
                _loop = Task.Run(RunAsync);
            }
        }

        Wake();
        return handle;
    }

    public void Remove(LeaseKeepAlive handle)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(handle.LeaseId, out var lease) && lease.Handles.Remove(handle) && lease.Handles.Count == 0)
            {
                _leases.Remove(handle.LeaseId);
            }
        }

        Wake();
    }

    public async ValueTask DisposeAsync()
    {
        List<LeaseKeepAlive> handles;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            handles = [.. _leases.Values.SelectMany(l => l.Handles)];
            _leases.Clear();
        }

        foreach (var handle in handles)
        {
            handle.OnStopped();
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        Wake();
        await _loop.ConfigureAwait(false);
        _disposed.Dispose();
    }

    private void Wake()
    {
        lock (_lock)
        {
            _wake.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff(options.MaxRetryBackoff, _time);
        Generation? generation = null;
        var reconnectAt = DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                var due = new List<long>();
                var expired = new List<(LeaseKeepAlive Handle, long Id)>();
                Task wake;
                TimeSpan wait;
                var now = _time.GetUtcNow();
                lock (_lock)
                {
                    if (_closed || _leases.Count == 0)
                    {
                        _running = false;
                        return;
                    }

                    if (_wake.Task.IsCompleted)
                    {
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    wake = _wake.Task;
                    var next = now + TimeSpan.FromMinutes(1);
                    foreach (var (id, lease) in _leases.ToList())
                    {
                        if (lease.Deadline is { } deadline && deadline <= now)
                        {
                            _leases.Remove(id);
                            expired.AddRange(lease.Handles.Select(h => (h, id)));
                            continue;
                        }

                        if (generation is { Failed: false })
                        {
                            if (lease.NextSend <= now)
                            {
                                due.Add(id);
                                lease.NextSend = now + Resend;
                            }

                            next = Min(next, lease.NextSend);
                        }

                        if (lease.Deadline is { } d)
                        {
                            next = Min(next, d);
                        }
                    }

                    if (generation is null)
                    {
                        next = Min(next, reconnectAt);
                    }

                    wait = next > now ? next - now : TimeSpan.Zero;
                }

                foreach (var (handle, id) in expired)
                {
                    handle.OnExpired(new EtcdLeaseExpiredException(id, $"etcdclient: lease {id:x} expired: no keep-alive was answered within its TTL"));
                }

                if (generation is { Failed: true })
                {
                    generation.Dispose();
                    if (generation.Answered)
                    {
                        backoff.Reset();
                    }

                    pool.ReportFailure(generation.Endpoint);
                    reconnectAt = _time.GetUtcNow() + backoff.Next();
                    generation = null;
                    continue;
                }

                if (generation is null && now >= reconnectAt)
                {
                    generation = Open();
                    continue;
                }

                foreach (var id in due)
                {
                    try
                    {
                        await generation!.Call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = id }, generation.Stop.Token).ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        generation!.Fail();
                        break;
                    }
                }

                if (due.Count == 0)
                {
                    await WaitAsync(wake, wait).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            generation?.Dispose();
        }
    }

    private Generation Open()
    {
        var endpoint = pool.Pinned;
        var generation = new Generation(endpoint, endpoint.Channel.DuplexStreaming(EtcdMethods.LeaseKeepAlive, new CallOptions(CancellationToken: _disposed.Token)));
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var lease in _leases.Values)
            {
                lease.NextSend = now;
            }
        }

        generation.Reader = ReadAsync(generation);
        return generation;
    }

    private async Task ReadAsync(Generation generation)
    {
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

                OnResponse(responses.Current);
            }
        }
        catch (Exception)
        {
            // The stream is gone either way; the loop opens a new one.
        }

        generation.Fail();
        Wake();
    }

    private void OnResponse(LeaseKeepAliveResponse response)
    {
        List<LeaseKeepAlive> handles;
        var now = _time.GetUtcNow();
        var expiresAt = now + TimeSpan.FromSeconds(response.TTL);
        lock (_lock)
        {
            if (!_leases.TryGetValue(response.ID, out var lease))
            {
                return;
            }

            handles = [.. lease.Handles];
            if (response.TTL <= 0)
            {
                _leases.Remove(response.ID);
            }
            else
            {
                lease.Deadline = expiresAt;
                lease.NextSend = now + TimeSpan.FromSeconds(response.TTL / 3.0);
            }
        }

        foreach (var handle in handles)
        {
            if (response.TTL <= 0)
            {
                handle.OnExpired(new EtcdLeaseExpiredException(response.ID, EtcdErrors.LeaseNotFound));
            }
            else
            {
                handle.OnRenewed(response.TTL, expiresAt);
            }
        }
    }

    private async Task WaitAsync(Task wake, TimeSpan wait)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var delay = Task.Delay(wait, _time, timer.Token);
        await Task.WhenAny(wake, delay).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A kept-alive lease: its handles, when to send next, and when it expires without renewal.</summary>
    private sealed class Lease
    {
        public List<LeaseKeepAlive> Handles { get; } = [];

        public DateTimeOffset NextSend { get; set; }

        /// <summary>Null until the first renewal tells the TTL.</summary>
        public DateTimeOffset? Deadline { get; set; }
    }

    /// <summary>One LeaseKeepAlive stream.</summary>
    private sealed class Generation(Endpoint endpoint, DuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call) : IDisposable
    {
        private volatile bool _failed;

        public Endpoint Endpoint { get; } = endpoint;

        public DuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> Call { get; } = call;

        public CancellationTokenSource Stop { get; } = new();

        public Task Reader { get; set; } = Task.CompletedTask;

        public bool Failed => _failed;

        public bool Answered { get; set; }

        public void Fail() => _failed = true;

        public void Dispose()
        {
            try
            {
                Stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            Call.Dispose();
            Stop.Dispose();
        }
    }
}
