using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MiniKube.Store.Internal;
using MiniKube.Store.Watch;
using Prometheus;

namespace MiniKube.Store.Server;

/// <summary>
/// The store's single writer, with group commit: it takes every write waiting in its queue,
/// applies each as its own transaction (unsynced), syncs once, publishes the new revision to
/// readers and watchers, and only then acknowledges the whole group. One fsync thus covers as
/// many writes as arrived while the previous one ran: one at a time under light load, hundreds
/// under heavy load.
/// </summary>
/// <remarks>
/// A write is never acknowledged before it is durable, and never visible before it is durable.
/// If the disk fails to sync, the process stops at once (as etcd panics): the writes applied but
/// not synced may or may not survive, and none of them was acknowledged.
/// </remarks>
public sealed class WritePipeline : IAsyncDisposable
{
    /// <summary>The most writes applied per sync; bounds the latency the first of a group sees.</summary>
    public const int MaxGroupSize = 2000;

    private readonly Channel<Proposal> _queue = Channel.CreateUnbounded<Proposal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Applier _applier;
    private readonly WatchHub _watchHub;
    private readonly Histogram _syncSeconds;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _groups;

    public WritePipeline(Applier applier, WatchHub watchHub, Histogram syncSeconds, ILogger logger)
    {
        _applier = applier;
        _watchHub = watchHub;
        _syncSeconds = syncSeconds;
        _logger = logger;
        _writer = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Groups committed since start: writes applied / groups is the average group size.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    /// <summary>
    /// Queues a write and completes once it is applied, synced and visible. Cancelling stops the
    /// wait, not the write: once queued it will be applied, as with a Raft proposal.
    /// </summary>
    public Task<AppliedWrite> ProposeAsync(InternalRequest request, CancellationToken cancellationToken = default)
    {
        var proposal = new Proposal(request);
        if (!_queue.Writer.TryWrite(proposal))
        {
            throw EtcdErrors.Stopped;
        }

        return proposal.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Proposal>(MaxGroupSize);
        var results = new List<AppliedWrite>(MaxGroupSize);
        var events = new List<Mvccpb.Event>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxGroupSize && reader.TryRead(out var proposal))
            {
                group.Add(proposal);
            }

            var store = _applier.Store;
            var before = store.WriteRevision;
            foreach (var proposal in group)
            {
                AppliedWrite result;
                try
                {
                    result = _applier.Apply(proposal.Request, store.AppliedIndex + 1);
                }
                catch (Exception e)
                {
                    // An apply that fails for a reason other than the request itself leaves the
                    // store in an unknown state; stopping is the only safe answer.
                    FailStop(e, "applying a write failed");
                    throw;
                }

                events.AddRange(result.Changes);
                results.Add(result);
            }

            try
            {
                if (results.Any(r => r.Error is null))
                {
                    var started = Stopwatch.GetTimestamp();
                    store.Backend.Sync();
                    _syncSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            }
            catch (Exception e)
            {
                FailStop(e, "syncing the backend failed");
                throw;
            }

            var revision = store.WriteRevision;
            store.Publish(revision);
            if (revision != before || events.Count > 0)
            {
                _watchHub.Notify(revision, events);
            }

            Interlocked.Increment(ref _groups);
            for (var i = 0; i < group.Count; i++)
            {
                var result = results[i];
                if (result.ScheduledCompaction > 0)
                {
                    result = result with { PhysicalCompaction = store.CompactPhysicallyAsync(result.ScheduledCompaction) };
                }

                group[i].Result.TrySetResult(result);
            }

            group.Clear();
            results.Clear();
            events.Clear();
        }
    }

    private void FailStop(Exception e, string what)
    {
        _logger.LogCritical(e, "{What}; stopping so that no unsynced state is ever served", what);
        Environment.FailFast($"minikube store: {what}: {e.Message}", e);
    }

    private sealed class Proposal(InternalRequest request)
    {
        public InternalRequest Request { get; } = request;

        public TaskCompletionSource<AppliedWrite> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
