using System.Runtime.CompilerServices;
using MiniKube.Api.Core;
using MiniKube.Api.Serialization;
using MiniKube.Client.Events;
using MiniKube.Scheduler.Cache;
using MiniKube.Scheduler.Framework;
using MiniKube.Scheduler.Plugins;
using MiniKube.Scheduler.Queue;

namespace MiniKube.Scheduler;

/// <summary>
/// The scheduling core (pkg/scheduler's Scheduler): informer events feed the cache and the queue; <see cref="RunAsync"/>
/// pops one pod at a time, filters and scores the nodes synchronously on one thread, assumes the pod on the best node
/// and binds it in the background (at most Parallelism at once), so the next pod is scheduled while the binding is
/// in flight. A pod no node fits gets PodScheduled=False/Unschedulable and a FailedScheduling event and waits in the
/// queue for a cluster event.
/// </summary>
public sealed class KubeScheduler : IDisposable
{
    private readonly ISchedulerApi _api;
    private readonly SchedulerOptions _options;
    private readonly IFilterPlugin[] _filters;
    private readonly IScorePlugin[] _scores;
    private readonly Random _random;
    private readonly SemaphoreSlim _slots;

    // The Scheduled events, written one at a time behind the bindings (see RecordInBackground).
    private readonly Lock _eventLock = new();
    private Task _lastEvent = Task.CompletedTask;
    private int _eventsQueued;
    private long _eventsDropped;

    // Scratch space of the scheduling thread (never called concurrently), reused so a cycle allocates little.
    private readonly List<NodeInfo> _feasible = [];
    private long[] _pluginScores = new long[64];
    private long[] _totals = new long[64];
    private int _nextStartNodeIndex;

    private long _scheduled;
    private long _unschedulable;
    private long _bindFailures;

    public KubeScheduler(ISchedulerApi api, SchedulerOptions? options = null)
    {
        _api = api;
        _options = options ?? new SchedulerOptions();
        _filters = [.. _options.Filters ?? DefaultPlugins.Filters()];
        _scores = [.. _options.Scores ?? DefaultPlugins.Scores()];
        _random = new Random(_options.Seed);
        _slots = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
        Queue = new SchedulingQueue(_options.TimeProvider, _options.PodInitialBackoff, _options.PodMaxBackoff, _options.PodMaxInUnschedulablePodsDuration);
    }

    public SchedulingQueue Queue { get; }

    public SchedulerCache Cache { get; } = new();

    /// <summary>Pods bound successfully.</summary>
    public long ScheduledCount => Interlocked.Read(ref _scheduled);

    /// <summary>Attempts that found no node.</summary>
    public long UnschedulableCount => Interlocked.Read(ref _unschedulable);

    public long BindFailureCount => Interlocked.Read(ref _bindFailures);

    /// <summary>Events not written because <see cref="SchedulerOptions.MaxQueuedEvents"/> were already waiting.</summary>
    public long DroppedEventCount => Interlocked.Read(ref _eventsDropped);

    /// <summary>Kubernetes' numFeasibleNodesToFind: all nodes below 100; else a percentage (adaptive when 0), never fewer than 100.</summary>
    public static int NumFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes)
    {
        const int minFeasibleNodesToFind = 100;
        const int minFeasibleNodesPercentageToFind = 5;
        if (numAllNodes < minFeasibleNodesToFind || percentageOfNodesToScore >= 100)
        {
            return numAllNodes;
        }

        var percentage = percentageOfNodesToScore;
        if (percentage <= 0)
        {
            percentage = Math.Max(minFeasibleNodesPercentageToFind, 50 - (numAllNodes / 125));
        }

        return Math.Max(minFeasibleNodesToFind, numAllNodes * percentage / 100);
    }

    public bool IsResponsibleFor(Pod pod) => pod.Spec?.SchedulerName is null or "" || pod.Spec.SchedulerName == _options.SchedulerName;

    private static bool IsAssigned(Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);

    private static bool IsTerminal(Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    // ---- informer events (eventhandlers.go) ----

    public void OnPodAdd(Pod pod)
    {
        if (IsAssigned(pod))
        {
            if (!IsTerminal(pod))
            {
                Cache.AddPod(pod);
            }
        }
        else if (IsResponsibleFor(pod) && pod.Metadata?.DeletionTimestamp is null)
        {
            Queue.Add(pod);
        }
    }

    public void OnPodUpdate(Pod oldPod, Pod newPod)
    {
        if (IsAssigned(newPod))
        {
            // A terminal pod no longer takes room on its node.
            if (IsTerminal(newPod))
            {
                Cache.RemovePod(newPod);
                Queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventAssignedPodDelete);
            }
            else
            {
                Cache.UpdatePod(newPod);
            }

            if (!IsAssigned(oldPod))
            {
                // Bound (by us, confirming the assumption, or by someone else): it leaves the queue.
                Queue.Delete(newPod);
            }

            return;
        }

        if (!IsResponsibleFor(newPod)
            || (oldPod.Metadata?.ResourceVersion == newPod.Metadata?.ResourceVersion && !ReferenceEquals(oldPod, newPod))
            || Cache.IsAssumedPod(KeyOf(newPod)))
        {
            return;
        }

        Queue.Update(oldPod, newPod);
    }

    public void OnPodDelete(Pod pod)
    {
        if (IsAssigned(pod))
        {
            Cache.RemovePod(pod);
            Queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventAssignedPodDelete);
        }
        else
        {
            Queue.Delete(pod);
        }
    }

    public void OnNodeAdd(Node node)
    {
        Cache.AddNode(node);
        Queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventNodeAdd);
    }

    public void OnNodeUpdate(Node oldNode, Node newNode)
    {
        Cache.UpdateNode(newNode);
        if (NodeSchedulingPropertiesChanged(oldNode, newNode))
        {
            Queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventNodeUpdate);
        }
    }

    public void OnNodeDelete(Node node) => Cache.RemoveNode(node);

    // ---- scheduling ----

    /// <summary>Pops and schedules pods until <paramref name="cancellationToken"/> fires; then waits for the bindings in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Queue.Run();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var queued = await Queue.PopAsync(cancellationToken).ConfigureAwait(false);
                if (queued is null)
                {
                    break;
                }

                await ScheduleOneAsync(queued, Queue.SchedulingCycle, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await WaitForBackgroundWritesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One attempt (scheduleOne): filter and score, assume on the chosen node, and start the binding; waits only when
    /// Parallelism writes are already in flight.
    /// </summary>
    public async ValueTask ScheduleOneAsync(QueuedPodInfo queued, long cycle, CancellationToken cancellationToken)
    {
        var podInfo = queued.PodInfo;
        if (podInfo.Pod.Metadata?.DeletionTimestamp is not null || Cache.IsAssumedPod(podInfo.Key))
        {
            Queue.Done(podInfo.Key);
            return;
        }

        var result = SchedulePod(podInfo);
        if (!result.Succeeded)
        {
            Interlocked.Increment(ref _unschedulable);
            Queue.AddUnschedulableIfNotPresent(queued, unschedulable: true, cycle);
            var message = result.Error!.Message;
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            _ = Task.Run(() => RecordFailureAsync(podInfo.Pod, message, cancellationToken), CancellationToken.None);
            return;
        }

        var assumed = podInfo.AssumedOn(result.SuggestedHost!);
        Cache.AssumePod(assumed);
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Cache.ForgetPod(assumed);
            Queue.AddUnschedulableIfNotPresent(queued, unschedulable: false, cycle);
            throw;
        }

        _ = Task.Run(() => BindAsync(queued, assumed, cycle, cancellationToken), CancellationToken.None);
    }

    /// <summary>
    /// The scheduling algorithm (schedulePod): runs the filters over nodes from where the last pod's search stopped
    /// until enough feasible nodes are found, scores them and picks the best, ties broken at random.
    /// </summary>
    // The hot loops are compiled fully optimized at once: tiering would run them unoptimized for the first
    // thousands of pods, far longer on a loaded machine, where the background recompile waits for a core.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ScheduleResult SchedulePod(PodInfo pod)
    {
        lock (Cache.Lock)
        {
            var nodes = Cache.NodeListLocked();
            var all = nodes.Count;
            if (all == 0)
            {
                return new ScheduleResult(null, 0, 0, new FitError(0, new Dictionary<string, int>()));
            }

            var toFind = NumFeasibleNodesToFind(_options.PercentageOfNodesToScore, all);
            _feasible.Clear();
            Dictionary<string, int>? reasons = null;
            var processed = 0;
            for (var i = 0; i < all && _feasible.Count < toFind; i++)
            {
                var node = nodes[(_nextStartNodeIndex + i) % all];
                processed++;
                var rejected = RunFilters(pod, node);
                if (rejected is null)
                {
                    _feasible.Add(node);
                    continue;
                }

                reasons ??= [];
                foreach (var reason in rejected)
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                }
            }

            _nextStartNodeIndex = (_nextStartNodeIndex + processed) % all;
            if (_feasible.Count == 0)
            {
                return new ScheduleResult(null, processed, 0, new FitError(all, reasons ?? []));
            }

            if (_feasible.Count == 1)
            {
                return new ScheduleResult(_feasible[0].Name, processed, 1, null);
            }

            return new ScheduleResult(SelectHostLocked(pod), processed, _feasible.Count, null);
        }
    }

    /// <summary>Completes when every background write (bindings, status and event writes) started so far has finished.</summary>
    public async Task WaitForBackgroundWritesAsync()
    {
        var slots = Math.Max(1, _options.Parallelism);
        for (var i = 0; i < slots; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        _slots.Release(slots);
        Task lastEvent;
        lock (_eventLock)
        {
            lastEvent = _lastEvent;
        }

        await lastEvent.ConfigureAwait(false);
    }

    public void Dispose()
    {
        Queue.Dispose();
        _slots.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IReadOnlyList<string>? RunFilters(PodInfo pod, NodeInfo node)
    {
        foreach (var filter in _filters)
        {
            if (filter.Filter(pod, node) is { } rejected)
            {
                return rejected;
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string SelectHostLocked(PodInfo pod)
    {
        var count = _feasible.Count;
        if (_totals.Length < count)
        {
            _totals = new long[Math.Max(count, _totals.Length * 2)];
            _pluginScores = new long[_totals.Length];
        }

        var totals = _totals.AsSpan(0, count);
        totals.Clear();
        var scores = _pluginScores.AsSpan(0, count);
        foreach (var plugin in _scores)
        {
            for (var i = 0; i < count; i++)
            {
                scores[i] = plugin.Score(pod, _feasible[i]);
            }

            plugin.Normalize(pod, scores);
            var weight = plugin.Weight;
            for (var i = 0; i < count; i++)
            {
                totals[i] += weight * scores[i];
            }
        }

        // Reservoir sampling over the best: each of k equal maxima wins with probability 1/k.
        var best = 0;
        var ties = 1;
        for (var i = 1; i < count; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
                ties = 1;
            }
            else if (totals[i] == totals[best] && _random.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return _feasible[best].Name;
    }

    private async Task BindAsync(QueuedPodInfo queued, PodInfo assumed, long cycle, CancellationToken cancellationToken)
    {
        try
        {
            await _api.BindAsync(assumed.Pod, assumed.NodeName, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _scheduled);
            Queue.Done(assumed.Key);
            // Not awaited in the binding's slot: the event is as slow as the binding, and waiting for it halved the
            // bindings per second (client-go's recorder writes events asynchronously too).
            RecordInBackground(assumed.Pod, EventRecorder.Normal, "Scheduled", $"Successfully assigned {assumed.Namespace}/{assumed.Name} to {assumed.NodeName}");
        }
#pragma warning disable CA1031 // any failure of the binding puts the pod back; the loop must go on
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _bindFailures);
            _options.Log?.Invoke($"binding {assumed.Key} to {assumed.NodeName} failed: {e.Message}");
            Cache.ForgetPod(assumed);
            Queue.AddUnschedulableIfNotPresent(queued, unschedulable: false, cycle);
            // The room the pod was assumed to take is free again.
            Queue.MoveAllToActiveOrBackoffQueue(SchedulingQueue.EventAssignedPodDelete);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Queues an event behind the ones before it, as client-go's broadcaster does: one writer, at most
    /// <see cref="SchedulerOptions.MaxQueuedEvents"/> waiting, and an event that finds the queue full is dropped. So while
    /// pods bind faster than events can be written, the events take one request at a time from the apiserver and the
    /// store instead of one per binding, and never hold a binding up.
    /// </summary>
    private void RecordInBackground(Pod pod, string type, string reason, string message)
    {
        lock (_eventLock)
        {
            if (_eventsQueued >= _options.MaxQueuedEvents)
            {
                if (Interlocked.Increment(ref _eventsDropped) % 1000 == 1)
                {
                    _options.Log?.Invoke($"event queue full ({_options.MaxQueuedEvents}): dropped {reason} about {pod.Metadata?.Namespace}/{pod.Metadata?.Name} ({DroppedEventCount} dropped so far)");
                }

                return;
            }

            _eventsQueued++;
            _lastEvent = WriteEventAfterAsync(_lastEvent, pod, type, reason, message);
        }
    }

    private async Task WriteEventAfterAsync(Task previous, Pod pod, string type, string reason, string message)
    {
        await previous.ConfigureAwait(false);
        try
        {
            // RecordEventAsync never throws: a failed write is the recorder's to report.
            await _api.RecordEventAsync(pod, type, reason, message).ConfigureAwait(false);
        }
        finally
        {
            lock (_eventLock)
            {
                _eventsQueued--;
            }
        }
    }

    private async Task RecordFailureAsync(Pod pod, string message, CancellationToken cancellationToken)
    {
        try
        {
            var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
            // Written only when it changes, so that a pod retried often does not rewrite its status each time.
            if (current is null || current.Status != "False" || current.Reason != "Unschedulable" || current.Message != message)
            {
                await _api.UpdatePodConditionAsync(pod, new PodCondition
                {
                    Type = "PodScheduled",
                    Status = "False",
                    Reason = "Unschedulable",
                    Message = message,
                    LastTransitionTime = current?.Status == "False" ? current.LastTransitionTime : _options.TimeProvider.GetUtcNow(),
                }, cancellationToken).ConfigureAwait(false);
            }

            await _api.RecordEventAsync(pod, EventRecorder.Warning, "FailedScheduling", message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a status that cannot be written is logged; the pod stays queued either way
        catch (Exception e)
#pragma warning restore CA1031
        {
            _options.Log?.Invoke($"updating the status of {pod.Metadata?.Namespace}/{pod.Metadata?.Name} failed: {e.Message}");
        }
        finally
        {
            _slots.Release();
        }
    }

    private static string KeyOf(Pod pod) => string.IsNullOrEmpty(pod.Metadata?.Namespace) ? pod.Metadata?.Name ?? "" : $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";

    /// <summary>Whether a node update may let a waiting pod fit: allocatable, labels, taints or unschedulable changed.</summary>
    private static bool NodeSchedulingPropertiesChanged(Node oldNode, Node newNode)
    {
        if (ReferenceEquals(oldNode, newNode))
        {
            return false;
        }

        static string Of(Node n) =>
            $"{ApiJson.Serialize(n.Status?.Allocatable)}|{ApiJson.Serialize(n.Metadata?.Labels)}|{ApiJson.Serialize(n.Spec?.Taints)}|{n.Spec?.Unschedulable}";
        return Of(oldNode) != Of(newNode);
    }
}
