using System.Threading.Channels;
using Etcdserverpb;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;

namespace MiniKube.Store.Integration.Tests.Infrastructure;

/// <summary>
/// One watch stream. A background reader queues every response, so a test can wait for the next
/// one with a timeout, or check that none arrives, without cancelling the call.
/// </summary>
public sealed class WatchSession : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly DuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly Channel<WatchResponse> _responses = Channel.CreateUnbounded<WatchResponse>();
    private readonly TaskCompletionSource _startReading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    private WatchSession(DuplexStreamingCall<WatchRequest, WatchResponse> call, bool reading)
    {
        _call = call;
        if (reading)
        {
            _startReading.SetResult();
        }

        _reader = Task.Run(ReadAsync);
    }

    /// <summary>
    /// Opens a watch stream. With <paramref name="reading"/> false nothing is read from it until
    /// <see cref="StartReading"/>, so the server sees a client too slow to take its responses.
    /// </summary>
    public static Task<WatchSession> OpenAsync(GrpcChannel channel, bool reading = true) =>
        Task.FromResult(new WatchSession(channel.DuplexStreaming(EtcdMethods.Watch, new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(2))), reading));

    public void StartReading() => _startReading.TrySetResult();

    public Task SendAsync(WatchRequest request) => _call.RequestStream.WriteAsync(request);

    public Task SendAsync(WatchCreateRequest create) => SendAsync(new WatchRequest { CreateRequest = create });

    /// <summary>Creates a watch and returns the "created" response.</summary>
    public async Task<WatchResponse> CreateAsync(WatchCreateRequest create)
    {
        await SendAsync(create);
        var response = await NextAsync();
        Assert.True(response.Created, $"expected a created response, got {response}");
        return response;
    }

    public Task CancelAsync(long watchId) => SendAsync(new WatchRequest { CancelRequest = new WatchCancelRequest { WatchId = watchId } });

    public Task RequestProgressAsync() => SendAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() });

    /// <summary>The next response; fails the test if none comes within <paramref name="timeout"/>.</summary>
    public async Task<WatchResponse> NextAsync(TimeSpan? timeout = null) =>
        await TryNextAsync(timeout ?? Patience) ?? throw new TimeoutException($"no watch response within {timeout ?? Patience}");

    /// <summary>The next response, or null if none comes within <paramref name="timeout"/>.</summary>
    public async Task<WatchResponse?> TryNextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _responses.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>
    /// Reads responses until <paramref name="count"/> events have arrived, skipping responses
    /// without events (progress notifications); returns the responses that carried events.
    /// </summary>
    public async Task<List<WatchResponse>> ResponsesWithEventsAsync(int count, TimeSpan? timeout = null)
    {
        var responses = new List<WatchResponse>();
        var events = 0;
        var giveUp = DateTime.UtcNow + (timeout ?? Patience);
        while (events < count)
        {
            var left = giveUp - DateTime.UtcNow;
            var response = await TryNextAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero)
                ?? throw new TimeoutException($"got {events} of {count} events: {string.Join("\n", responses)}");
            if (response.Events.Count > 0)
            {
                responses.Add(response);
                events += response.Events.Count;
            }
        }

        return responses;
    }

    /// <summary>As <see cref="ResponsesWithEventsAsync"/>, flattened to the events.</summary>
    public async Task<List<Mvccpb.Event>> EventsAsync(int count, TimeSpan? timeout = null) =>
        [.. (await ResponsesWithEventsAsync(count, timeout)).SelectMany(r => r.Events)];

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        _startReading.TrySetResult();
        await _reader;
    }

    private async Task ReadAsync()
    {
        try
        {
            await _startReading.Task;
            while (await _call.ResponseStream.MoveNext())
            {
                await _responses.Writer.WriteAsync(_call.ResponseStream.Current);
            }

            _responses.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _responses.Writer.TryComplete(e);
        }
    }
}
