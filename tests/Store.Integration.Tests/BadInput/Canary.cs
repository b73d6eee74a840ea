using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;

namespace MiniKube.Store.Integration.Tests.BadInput;

/// <summary>
/// A well-behaved client on its own connection, writing and reading back in a loop while a test
/// sends bad input: the server must keep answering it correctly.
/// </summary>
public sealed class Canary : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _failures = [];
    private int _rounds;

    public Canary(Uri server)
    {
        _channel = GrpcChannel.ForAddress(server);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Stops the loop; fails the test if any round failed or none completed.</summary>
    public async Task StopAndAssertHealthyAsync()
    {
        // At least a couple of rounds, so that the canary overlapped the bad input.
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref _rounds) < 3 && DateTime.UtcNow < giveUp && _loop.IsCompleted is false)
        {
            await Task.Delay(20);
        }

        await _stop.CancelAsync();
        await _loop;
        lock (_failures)
        {
            Assert.Empty(_failures);
        }

        Assert.True(_rounds >= 3, $"the canary completed only {_rounds} rounds");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _channel.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var api = new EtcdApi(_channel);
        var key = Bytes.UniquePrefix("canary") + "k";
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var value = _rounds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var put = await api.PutAsync(key, value);
                var read = await api.GetAsync(key);
                if (read.Kvs.Count != 1 || read.Kvs[0].Value.ToStringUtf8() != value || read.Kvs[0].ModRevision != put.Header.Revision)
                {
                    lock (_failures)
                    {
                        _failures.Add($"round {_rounds}: read back {read}");
                    }
                }

                Interlocked.Increment(ref _rounds);
                await Task.Delay(10);
            }
            catch (RpcException e)
            {
                lock (_failures)
                {
                    _failures.Add($"round {_rounds}: {e.Status}");
                }

                return;
            }
        }
    }
}
