using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;

namespace MiniKube.Cli.Bench;

public static partial class StoreBenchmark
{
    /// <summary>How long watchers may take, after the last write, to deliver the events still missing.</summary>
    public static readonly TimeSpan WatchDrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The watch workload: one watcher per client, each on its own Watch stream over the whole key
    /// space, and one writer on a connection of its own putting <see cref="StoreBenchSettings.Total"/>
    /// keys one after another (at <c>--rate</c> if given). An operation is one event delivered to
    /// one watcher, so there are Total × Clients of them; its latency runs from just before the
    /// writer sends the put to the moment the watcher reads the response carrying the event. That
    /// includes the write's own commit: the writer's put latencies are reported alongside
    /// (<see cref="BenchReport.Writes"/>) so that the delivery part can be read off.
    /// </summary>
    /// <remarks>
    /// Events are matched to writes by revision; events of other writers in the range are ignored.
    /// Latencies are computed after the run from per-watcher arrays allocated up front.
    /// </remarks>
    private static async Task<BenchReport> RunWatchAsync(StoreBenchSettings settings, GrpcChannel[] channels, CancellationToken cancellationToken)
    {
        var (start, end) = BenchKeys.SpaceRange(settings.KeySize, settings.KeySpaceSize);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var starting = new Task<Watcher>[settings.Clients];
        for (var i = 0; i < starting.Length; i++)
        {
            starting[i] = Watcher.StartAsync(channels[i % channels.Length], start, end, settings.Total, stop.Token);
        }

        try
        {
            var watchers = await Task.WhenAll(starting).ConfigureAwait(false);
            using var writerChannel = GrpcChannel.ForAddress(settings.Endpoints[0]);
            var writer = new WatchWriter(settings, Value(settings));
            var begin = Stopwatch.GetTimestamp();
            await writer.RunAsync(writerChannel, cancellationToken).ConfigureAwait(false);
            var writesDone = Stopwatch.GetTimestamp();

            var delivered = watchers.Select(w => w.ExpectAsync(writer.Written));
            try
            {
                await Task.WhenAll(delivered).WaitAsync(WatchDrainTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Counted below as events not delivered.
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watchers.Select(w => w.Reading)).ConfigureAwait(false);
            return Collect(settings, watchers, writer, begin, writesDone);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var task in starting)
            {
                if (task.IsCompletedSuccessfully)
                {
                    task.Result.Dispose();
                }
            }
        }
    }

    private static BenchReport Collect(StoreBenchSettings settings, Watcher[] watchers, WatchWriter writer, long begin, long writesDone)
    {
        var recorder = new LatencyRecorder(checked(settings.Total * watchers.Length));
        var last = writesDone;
        foreach (var watcher in watchers)
        {
            var matched = 0;
            for (var i = 0; i < watcher.Received; i++)
            {
                var write = Array.BinarySearch(writer.Revisions, 0, writer.Written, watcher.Revisions[i]);
                if (write >= 0)
                {
                    recorder.Record(watcher.Timestamps[i] - writer.SentAt[write]);
                    last = Math.Max(last, watcher.Timestamps[i]);
                    matched++;
                }
            }

            if (watcher.Error is { } error)
            {
                recorder.Fail(error);
            }

            if (matched < writer.Written)
            {
                recorder.Fail($"watch: event not delivered within {WatchDrainTimeout.TotalSeconds:0}s of the last write", writer.Written - matched);
            }
        }

        foreach (var (error, count) in writer.Puts.Errors)
        {
            recorder.Fail($"put: {error}", count);
        }

        return recorder.ToReport(Describe(settings), Stopwatch.GetElapsedTime(begin, last), writer.Puts.ToReport("writer's puts", Stopwatch.GetElapsedTime(begin, writesDone)));
    }

    /// <summary>The single writer: puts one key at a time, remembering when each was sent and its revision.</summary>
    private sealed class WatchWriter(StoreBenchSettings settings, ByteString value)
    {
        private readonly Random _random = new(ClientSeed(settings, -1));

        public LatencyRecorder Puts { get; } = new(settings.Total);

        /// <summary>The revisions of the successful writes, ascending (one writer, one write at a time).</summary>
        public long[] Revisions { get; } = new long[settings.Total];

        public long[] SentAt { get; } = new long[settings.Total];

        public int Written { get; private set; }

        public async Task RunAsync(GrpcChannel channel, CancellationToken cancellationToken)
        {
            var pacer = settings.Rate > 0 ? new Pacer(settings.Rate) : null;
            var options = new CallOptions(CancellationToken: cancellationToken);
            var key = new byte[settings.KeySize];
            while (Puts.TryClaim(out var operation))
            {
                BenchKeys.Write(key, settings.SequentialKeys ? operation % settings.KeySpaceSize : _random.NextInt64(settings.KeySpaceSize));
                var put = new PutRequest { Key = ByteString.CopyFrom(key), Value = value };
                if (pacer is not null)
                {
                    await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                var start = Stopwatch.GetTimestamp();
                try
                {
                    var response = await channel.UnaryAsync(EtcdMethods.Put, put, options).ConfigureAwait(false);
                    Puts.Record(Stopwatch.GetTimestamp() - start);
                    SentAt[Written] = start;
                    Revisions[Written] = response.Header.Revision;
                    Written++;
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                {
                    Puts.Fail(Describe(e));
                }
            }
        }
    }

    /// <summary>One Watch stream with one watcher; records each event's revision and arrival time.</summary>
    private sealed class Watcher : IDisposable
    {
        private readonly DuplexStreamingCall<WatchRequest, WatchResponse> _call;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;
        private int _expected = int.MaxValue;

        private Watcher(DuplexStreamingCall<WatchRequest, WatchResponse> call, int capacity)
        {
            _call = call;
            Revisions = new long[capacity];
            Timestamps = new long[capacity];
        }

        public long[] Revisions { get; }

        public long[] Timestamps { get; }

        /// <summary>Events recorded so far (at most the capacity); read it once the reader has stopped.</summary>
        public int Received => Math.Min(Volatile.Read(ref _received), Revisions.Length);

        /// <summary>The loop reading the stream; it ends when the stream does or the benchmark stops it.</summary>
        public Task Reading { get; private set; } = Task.CompletedTask;

        /// <summary>Why the stream ended early, if it did.</summary>
        public string? Error { get; private set; }

        public static async Task<Watcher> StartAsync(GrpcChannel channel, ByteString key, ByteString rangeEnd, int capacity, CancellationToken cancellationToken)
        {
            var call = channel.DuplexStreaming(EtcdMethods.Watch, new CallOptions(CancellationToken: cancellationToken));
            try
            {
                var create = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = key, RangeEnd = rangeEnd } };
                await call.RequestStream.WriteAsync(create, cancellationToken).ConfigureAwait(false);
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || !call.ResponseStream.Current.Created)
                {
                    throw new InvalidOperationException("the server did not confirm the watch");
                }
            }
            catch
            {
                call.Dispose();
                throw;
            }

            var watcher = new Watcher(call, capacity);
            watcher.Reading = watcher.ReadAsync(cancellationToken);
            return watcher;
        }

        /// <summary>Completes once <paramref name="expected"/> events have arrived, or the stream has ended.</summary>
        public Task ExpectAsync(int expected)
        {
            // Interlocked on both sides: either this sees the reader's count or the reader sees the target.
            Interlocked.Exchange(ref _expected, expected);
            if (Volatile.Read(ref _received) >= expected)
            {
                _done.TrySetResult();
            }

            return _done.Task;
        }

        public void Dispose() => _call.Dispose();

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            var stream = _call.ResponseStream;
            try
            {
                while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    var now = Stopwatch.GetTimestamp();
                    var response = stream.Current;
                    if (response.Canceled)
                    {
                        Error = $"watch canceled: {response.CancelReason}";
                        return;
                    }

                    foreach (var change in response.Events)
                    {
                        var slot = Volatile.Read(ref _received);
                        if (slot < Revisions.Length)
                        {
                            Revisions[slot] = change.Kv.ModRevision;
                            Timestamps[slot] = now;
                        }

                        Interlocked.Increment(ref _received);
                    }

                    if (Volatile.Read(ref _received) >= Volatile.Read(ref _expected))
                    {
                        _done.TrySetResult();
                    }
                }

                Error = "watch stream ended by the server";
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is RpcException or OperationCanceledException)
            {
                // Stopped by the benchmark.
            }
            catch (Exception e)
            {
                Error = e is RpcException rpc ? $"watch: {Describe(rpc)}" : $"watch: {e.Message}";
            }
            finally
            {
                _done.TrySetResult();
            }
        }
    }
}
