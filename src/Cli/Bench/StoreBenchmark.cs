using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;

namespace MiniKube.Cli.Bench;

/// <summary>
/// The load generator behind <c>mkctl bench store</c>, after etcd's <c>benchmark</c> tool: opens the
/// connections, runs the clients until the total is reached, and reports what each operation took.
/// An operation's latency is from just before its request is handed to the gRPC channel to just
/// after its response is parsed (for watch, see <see cref="RunWatchAsync"/>); building the request
/// and waiting for a <c>--rate</c> slot are outside it.
/// </summary>
public static partial class StoreBenchmark
{
    public static async Task<BenchReport> RunAsync(StoreBenchSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        var channels = new GrpcChannel[settings.Conns];
        for (var i = 0; i < channels.Length; i++)
        {
            channels[i] = GrpcChannel.ForAddress(settings.Endpoints[i % settings.Endpoints.Count]);
        }

        try
        {
            if (settings.Prefill)
            {
                await PrefillAsync(settings, channels, cancellationToken).ConfigureAwait(false);
            }

            if (settings.Warmup > 0)
            {
                var warmup = settings.Op == StoreOp.Watch ? settings with { Op = StoreOp.Put } : settings;
                await RunClientsAsync(warmup with { Rate = 0 }, channels, new LatencyRecorder(settings.Warmup), cancellationToken).ConfigureAwait(false);
            }

            if (settings.Op == StoreOp.Watch)
            {
                return await RunWatchAsync(settings, channels, cancellationToken).ConfigureAwait(false);
            }

            var recorder = new LatencyRecorder(settings.Total);
            var duration = await RunClientsAsync(settings, channels, recorder, cancellationToken).ConfigureAwait(false);
            return recorder.ToReport(Describe(settings), duration);
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>A short name for the workload, e.g. "range (serializable)".</summary>
    public static string Describe(StoreBenchSettings settings) => settings.Op switch
    {
        StoreOp.Put => "put",
        StoreOp.Range => settings.Serializable ? "range (serializable)" : "range (linearizable)",
        StoreOp.TxnPut => "txn-put",
        StoreOp.Watch => "watch",
        _ => throw new ArgumentOutOfRangeException(nameof(settings)),
    };

    /// <summary>How a failed call is counted: etcd's benchmark prints grpc-go's error text, so do we.</summary>
    public static string Describe(RpcException e) => $"rpc error: code = {e.StatusCode} desc = {e.Status.Detail}";

    private static async Task PrefillAsync(StoreBenchSettings settings, GrpcChannel[] channels, CancellationToken cancellationToken)
    {
        var total = checked((int)settings.KeySpaceSize);
        var fill = settings with { Op = StoreOp.Put, Total = total, SequentialKeys = true, Rate = 0 };
        var recorder = new LatencyRecorder(total);
        await RunClientsAsync(fill, channels, recorder, cancellationToken).ConfigureAwait(false);
        var report = recorder.ToReport("prefill", TimeSpan.Zero);
        if (report.Failed > 0)
        {
            throw new InvalidOperationException($"prefilling the key space failed: {report.Errors.First().Key}");
        }
    }

    private static async Task<TimeSpan> RunClientsAsync(StoreBenchSettings settings, GrpcChannel[] channels, LatencyRecorder recorder, CancellationToken cancellationToken)
    {
        var value = Value(settings);
        var pacer = settings.Rate > 0 ? new Pacer(settings.Rate) : null;
        var clients = new Task[settings.Clients];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < clients.Length; i++)
        {
            var client = new Client(settings, channels[i % channels.Length], value, ClientSeed(settings, i));
            clients[i] = Task.Run(() => client.RunAsync(recorder, pacer, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(clients).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>The value every write puts (etcd's benchmark also writes one random value throughout).</summary>
    private static ByteString Value(StoreBenchSettings settings)
    {
        var value = new byte[settings.ValSize];
        new Random(settings.Seed).NextBytes(value);
        return UnsafeByteOperations.UnsafeWrap(value);
    }

    private static int ClientSeed(StoreBenchSettings settings, int client) => unchecked((settings.Seed * 1_000_003) + client);

    /// <summary>One client: claims operations until the total is reached, one call in flight at a time.</summary>
    private sealed class Client(StoreBenchSettings settings, GrpcChannel channel, ByteString value, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly byte[] _key = new byte[settings.KeySize];

        public async Task RunAsync(LatencyRecorder recorder, Pacer? pacer, CancellationToken cancellationToken)
        {
            var options = new CallOptions(CancellationToken: cancellationToken);
            while (recorder.TryClaim(out var operation))
            {
                var index = settings.SequentialKeys ? operation % settings.KeySpaceSize : _random.NextInt64(settings.KeySpaceSize);
                BenchKeys.Write(_key, index);
                var key = ByteString.CopyFrom(_key);
                if (pacer is not null)
                {
                    await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    long start;
                    switch (settings.Op)
                    {
                        case StoreOp.Put:
                            var put = new PutRequest { Key = key, Value = value };
                            start = Stopwatch.GetTimestamp();
                            await channel.UnaryAsync(EtcdMethods.Put, put, options).ConfigureAwait(false);
                            break;
                        case StoreOp.Range:
                            var range = new RangeRequest { Key = key, Serializable = settings.Serializable };
                            start = Stopwatch.GetTimestamp();
                            await channel.UnaryAsync(EtcdMethods.Range, range, options).ConfigureAwait(false);
                            break;
                        case StoreOp.TxnPut:
                            var txn = new TxnRequest { Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = value } } } };
                            start = Stopwatch.GetTimestamp();
                            await channel.UnaryAsync(EtcdMethods.Txn, txn, options).ConfigureAwait(false);
                            break;
                        default:
                            throw new InvalidOperationException($"{settings.Op} is not a unary workload");
                    }

                    recorder.Record(Stopwatch.GetTimestamp() - start);
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                {
                    recorder.Fail(Describe(e));
                }
            }
        }
    }
}
