using Etcdserverpb;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;
using MiniKube.Testing.Linearizability;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Linearizability;

/// <summary>
/// Concurrent clients doing random single-key gets, puts, deletes and compare-and-sets (Txn on
/// mod_revision or on the value) on a few keys, every operation recorded for the checker. A share
/// of the requests get a deadline of a few milliseconds, so that some are cut off in flight and
/// their outcome is unknown. Meant to run while something is done to the servers (kills, pauses).
/// </summary>
public sealed class KvWorkload(IReadOnlyList<Uri> endpoints, string prefix, int seed)
{
    public int Clients { get; init; } = 8;

    public int Keys { get; init; } = 3;

    /// <summary>The share of requests with a deadline of 1 to 3 ms.</summary>
    public double ShortDeadlineFraction { get; init; } = 0.1;

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(5);

    public HistoryRecorder<KvInput, KvOutput> Recorder { get; } = new();

    /// <summary>
    /// Runs the clients for <paramref name="duration"/>, and on past it (up to four times as long)
    /// until <paramref name="minimumOperations"/> are recorded: a loaded machine does fewer per second.
    /// </summary>
    public async Task RunAsync(TimeSpan duration, int minimumOperations = 0)
    {
        using var stop = new CancellationTokenSource(duration * 4);
        var clients = Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(c, stop.Token))));
        var started = DateTime.UtcNow;
        while (!clients.IsCompleted)
        {
            if (DateTime.UtcNow - started >= duration && Recorder.History().Count >= minimumOperations)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                break;
            }

            await Task.WhenAny(clients, Task.Delay(100)).ConfigureAwait(false);
        }

        await clients.ConfigureAwait(false);
    }

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(seed, client));
        // Each client talks to the endpoints on its own connection, as separate processes would.
        var channels = endpoints.Select(e => GrpcChannel.ForAddress(e)).ToArray();
        try
        {
            var seen = new Dictionary<string, (string? Value, long ModRevision)>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = prefix + random.Next(Keys);
                var value = $"c{client}-{n}";
                seen.TryGetValue(key, out var last);
                var input = random.Next(10) switch
                {
                    < 4 => KvInput.Get(key),
                    < 6 => KvInput.Put(key, value),
                    6 => KvInput.Delete(key),
                    7 or 8 => KvInput.CasRevision(key, random.Next(4) == 0 ? random.Next(100) : last.ModRevision, value),
                    _ => KvInput.CasValue(key, last.Value ?? "none", value),
                };
                var deadline = random.NextDouble() < ShortDeadlineFraction ? TimeSpan.FromMilliseconds(1 + (2 * random.NextDouble())) : Deadline;
                var channel = channels[random.Next(channels.Length)];
                var output = await Recorder.RecordAsync(client, input, () => CallAsync(channel, input, new CallOptions(Deadline: DateTime.UtcNow + deadline))).ConfigureAwait(false);
                if (output is not null && input.Op == KvOp.Get)
                {
                    seen[key] = (output.Value, output.ModRevision);
                }
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static async Task<KvOutput> CallAsync(GrpcChannel channel, KvInput input, CallOptions options)
    {
        switch (input.Op)
        {
            case KvOp.Get:
                var range = await channel.UnaryAsync(EtcdMethods.Range, new RangeRequest { Key = B(input.Key) }, options).ConfigureAwait(false);
                return range.Kvs.Count == 0 ? KvOutput.Got(null, 0) : KvOutput.Got(S(range.Kvs[0].Value), range.Kvs[0].ModRevision);
            case KvOp.Put:
                var put = await channel.UnaryAsync(EtcdMethods.Put, new PutRequest { Key = B(input.Key), Value = B(input.Value!) }, options).ConfigureAwait(false);
                return KvOutput.Put(put.Header.Revision);
            case KvOp.Delete:
                var delete = await channel.UnaryAsync(EtcdMethods.DeleteRange, new DeleteRangeRequest { Key = B(input.Key) }, options).ConfigureAwait(false);
                return KvOutput.Delete(delete.Deleted, delete.Header.Revision);
            default:
                var compare = input.Op == KvOp.CasRevision
                    ? new Compare { Key = B(input.Key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = input.ExpectedRevision }
                    : new Compare { Key = B(input.Key), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = B(input.ExpectedValue!) };
                var txn = new TxnRequest { Compare = { compare }, Success = { new RequestOp { RequestPut = new PutRequest { Key = B(input.Key), Value = B(input.Value!) } } } };
                var response = await channel.UnaryAsync(EtcdMethods.Txn, txn, options).ConfigureAwait(false);
                return KvOutput.Cas(response.Succeeded, response.Header.Revision);
        }
    }
}
