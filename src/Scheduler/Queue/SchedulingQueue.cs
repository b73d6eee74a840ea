using MiniKube.Api.Core;
using MiniKube.Api.Serialization;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Queue;

/// <summary>
/// The scheduling queue (pkg/scheduler/backend/queue PriorityQueue): activeQ (higher priority first, then FIFO) is
/// what Pop hands out; backoffQ holds pods that failed until their per-pod exponential backoff (1 s, doubling, at most
/// 10 s) runs out; unschedulablePods holds pods no node fits until a cluster event (a node added or changed, an
/// assigned pod deleted) may have made room, or for at most 5 minutes. A pod that failed in a cycle during which
/// such an event came goes to backoffQ instead, so the event is not missed. Time comes from the injected
/// TimeProvider; <see cref="Run"/> starts the flush timers (every second for backoffQ, every 30 s for the leftovers).
/// </summary>
public sealed class SchedulingQueue : IDisposable
{
    public const string EventNodeAdd = "NodeAdd";
    public const string EventNodeUpdate = "NodeUpdate";
    public const string EventAssignedPodDelete = "AssignedPodDelete";
    public const string EventUnschedulableTimeout = "UnschedulableTimeout";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _initialBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeSpan _maxInUnschedulable;

    // The heaps delete lazily: an entry is live only while the map still holds that same QueuedPodInfo.
    private readonly PriorityQueue<QueuedPodInfo, (int NegPriority, long Ticks, long Seq)> _activeHeap = new();
    private readonly Dictionary<string, QueuedPodInfo> _active = [];
    private readonly PriorityQueue<QueuedPodInfo, (long Ticks, long Seq)> _backoffHeap = new();
    private readonly Dictionary<string, QueuedPodInfo> _backoff = [];
    private readonly Dictionary<string, QueuedPodInfo> _unschedulable = [];
    private readonly Dictionary<string, QueuedPodInfo> _inFlight = [];
    private readonly HashSet<string> _deletedInFlight = [];
    private readonly Queue<TaskCompletionSource<QueuedPodInfo?>> _waiters = new();

    private long _sequence;
    private long _schedulingCycle;
    private long _moveRequestCycle = -1;
    private bool _closed;
    private ITimer? _backoffTimer;
    private ITimer? _leftoverTimer;

    public SchedulingQueue(TimeProvider? time = null, TimeSpan? initialBackoff = null, TimeSpan? maxBackoff = null, TimeSpan? maxInUnschedulable = null)
    {
        _time = time ?? TimeProvider.System;
        _initialBackoff = initialBackoff ?? TimeSpan.FromSeconds(1);
        _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(10);
        _maxInUnschedulable = maxInUnschedulable ?? TimeSpan.FromMinutes(5);
    }

    public int ActiveCount
    {
        get
        {
            lock (_lock)
            {
                return _active.Count;
            }
        }
    }

    public int BackoffCount
    {
        get
        {
            lock (_lock)
            {
                return _backoff.Count;
            }
        }
    }

    public int UnschedulableCount
    {
        get
        {
            lock (_lock)
            {
                return _unschedulable.Count;
            }
        }
    }

    /// <summary>How many pods have been popped; a failed pod is put back with the cycle it was popped in.</summary>
    public long SchedulingCycle
    {
        get
        {
            lock (_lock)
            {
                return _schedulingCycle;
            }
        }
    }

    /// <summary>Where the pod is: "active", "backoff", "unschedulable", "inflight" or null.</summary>
    public string? WhereIs(string key)
    {
        lock (_lock)
        {
            return _active.ContainsKey(key) ? "active"
                : _backoff.ContainsKey(key) ? "backoff"
                : _unschedulable.ContainsKey(key) ? "unschedulable"
                : _inFlight.ContainsKey(key) ? "inflight"
                : null;
        }
    }

    /// <summary>Starts the timers that flush completed backoffs (every second) and pods left unschedulable too long (every 30 s).</summary>
    public void Run()
    {
        _backoffTimer = _time.CreateTimer(_ => FlushBackoffQCompleted(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _leftoverTimer = _time.CreateTimer(_ => FlushUnschedulablePodsLeftover(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    /// <summary>A new pending pod: straight to activeQ.</summary>
    public void Add(Pod pod)
    {
        var info = new PodInfo(pod);
        lock (_lock)
        {
            if (_active.ContainsKey(info.Key) || _inFlight.ContainsKey(info.Key))
            {
                return;
            }

            RemoveLocked(info.Key);
            PushActiveLocked(new QueuedPodInfo(info, _time.GetUtcNow()));
        }
    }

    /// <summary>
    /// A pending pod changed. In activeQ or backoffQ it is replaced in place; in unschedulablePods it moves on when its
    /// spec or labels changed (a status-only change, like the scheduler's own condition, leaves it waiting).
    /// </summary>
    public void Update(Pod oldPod, Pod newPod)
    {
        var info = new PodInfo(newPod);
        lock (_lock)
        {
            if (_active.TryGetValue(info.Key, out var queued) || _backoff.TryGetValue(info.Key, out queued))
            {
                queued.PodInfo = info;
                return;
            }

            if (_inFlight.TryGetValue(info.Key, out queued))
            {
                queued.PodInfo = info;
                queued.UpdatedInFlight |= IsPodUpdated(oldPod, newPod);
                return;
            }

            if (_unschedulable.TryGetValue(info.Key, out queued))
            {
                queued.PodInfo = info;
                if (IsPodUpdated(oldPod, newPod))
                {
                    // Backing off still counts from when the pod failed, not from the update.
                    _unschedulable.Remove(info.Key);
                    if (IsBackingOffLocked(queued))
                    {
                        PushBackoffLocked(queued);
                    }
                    else
                    {
                        PushActiveLocked(queued);
                    }
                }

                return;
            }

            PushActiveLocked(new QueuedPodInfo(info, _time.GetUtcNow()));
        }
    }

    public void Delete(Pod pod)
    {
        var key = new PodInfo(pod).Key;
        lock (_lock)
        {
            RemoveLocked(key);
            if (_inFlight.ContainsKey(key))
            {
                _deletedInFlight.Add(key);
            }
        }
    }

    /// <summary>The next pod to schedule, waiting for one; null once the queue is closed or on cancel.</summary>
    public async ValueTask<QueuedPodInfo?> PopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource<QueuedPodInfo?> waiter;
            lock (_lock)
            {
                if (TryPopLocked(out var popped))
                {
                    return popped;
                }

                if (_closed)
                {
                    return null;
                }

                waiter = new TaskCompletionSource<QueuedPodInfo?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Enqueue(waiter);
            }

            using (cancellationToken.Register(() => waiter.TrySetResult(null)))
            {
                await waiter.Task.ConfigureAwait(false);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    public bool TryPop(out QueuedPodInfo popped)
    {
        lock (_lock)
        {
            return TryPopLocked(out popped!);
        }
    }

    /// <summary>The scheduling attempt of <paramref name="key"/> is over (scheduled, or put back).</summary>
    public void Done(string key)
    {
        lock (_lock)
        {
            _inFlight.Remove(key);
            _deletedInFlight.Remove(key);
        }
    }

    /// <summary>
    /// Puts back a pod whose attempt failed: to unschedulablePods when no node fit it and nothing changed since its
    /// cycle began, otherwise (an error, or a move request during the cycle, or its own update) to backoffQ. A pod
    /// deleted meanwhile, or already queued again, is left alone.
    /// </summary>
    public void AddUnschedulableIfNotPresent(QueuedPodInfo queued, bool unschedulable, long podSchedulingCycle)
    {
        lock (_lock)
        {
            var key = queued.Key;
            var deleted = _deletedInFlight.Remove(key);
            _inFlight.Remove(key);
            if (deleted || _active.ContainsKey(key) || _backoff.ContainsKey(key) || _unschedulable.ContainsKey(key))
            {
                return;
            }

            queued.Timestamp = _time.GetUtcNow();
            if (!unschedulable || queued.UpdatedInFlight || _moveRequestCycle >= podSchedulingCycle)
            {
                queued.UpdatedInFlight = false;
                PushBackoffLocked(queued);
            }
            else
            {
                _unschedulable[key] = queued;
            }
        }
    }

    /// <summary>A cluster event that may make unschedulable pods fit: all of them move to activeQ, or to backoffQ while still backing off.</summary>
    public void MoveAllToActiveOrBackoffQueue(string clusterEvent)
    {
        _ = clusterEvent;
        lock (_lock)
        {
            MoveLocked([.. _unschedulable.Values]);
            _moveRequestCycle = _schedulingCycle;
        }
    }

    /// <summary>Moves the pods whose backoff has run out to activeQ.</summary>
    public void FlushBackoffQCompleted()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_backoffHeap.TryPeek(out var queued, out var priority))
            {
                if (!_backoff.TryGetValue(queued.Key, out var live) || !ReferenceEquals(live, queued) || queued.Sequence != priority.Seq)
                {
                    _backoffHeap.Dequeue();
                    continue;
                }

                if (BackoffExpiry(queued) > now)
                {
                    break;
                }

                _backoffHeap.Dequeue();
                _backoff.Remove(queued.Key);
                PushActiveLocked(queued);
            }
        }
    }

    /// <summary>Moves pods that have waited in unschedulablePods longer than the maximum (5 minutes) on.</summary>
    public void FlushUnschedulablePodsLeftover()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            MoveLocked([.. _unschedulable.Values.Where(q => now - q.Timestamp > _maxInUnschedulable)]);
        }
    }

    /// <summary>Wakes every waiting Pop with null; later pops return what is left, then null.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            while (_waiters.TryDequeue(out var waiter))
            {
                waiter.TrySetResult(null);
            }
        }
    }

    public void Dispose()
    {
        Close();
        _backoffTimer?.Dispose();
        _leftoverTimer?.Dispose();
    }

    /// <summary>initialBackoff × 2^(attempts−1), at most maxBackoff.</summary>
    public TimeSpan BackoffDuration(QueuedPodInfo queued)
    {
        var duration = _initialBackoff;
        for (var i = 1; i < queued.Attempts; i++)
        {
            duration *= 2;
            if (duration >= _maxBackoff)
            {
                return _maxBackoff;
            }
        }

        return duration;
    }

    private DateTimeOffset BackoffExpiry(QueuedPodInfo queued) => queued.Timestamp + BackoffDuration(queued);

    private bool IsBackingOffLocked(QueuedPodInfo queued) => BackoffExpiry(queued) > _time.GetUtcNow();

    private void MoveLocked(IEnumerable<QueuedPodInfo> pods)
    {
        foreach (var queued in pods)
        {
            _unschedulable.Remove(queued.Key);
            if (IsBackingOffLocked(queued))
            {
                PushBackoffLocked(queued);
            }
            else
            {
                PushActiveLocked(queued);
            }
        }
    }

    private bool TryPopLocked(out QueuedPodInfo? popped)
    {
        while (_activeHeap.TryDequeue(out var queued, out var priority))
        {
            if (!_active.TryGetValue(queued.Key, out var live) || !ReferenceEquals(live, queued) || queued.Sequence != priority.Seq)
            {
                continue;
            }

            _active.Remove(queued.Key);
            queued.Attempts++;
            _schedulingCycle++;
            _inFlight[queued.Key] = queued;
            popped = queued;
            return true;
        }

        popped = null;
        return false;
    }

    private void PushActiveLocked(QueuedPodInfo queued)
    {
        queued.Sequence = ++_sequence;
        _active[queued.Key] = queued;
        _activeHeap.Enqueue(queued, (-queued.PodInfo.Priority, queued.Timestamp.UtcTicks, queued.Sequence));
        // Wake every waiter: one may have been cancelled and would swallow the signal.
        while (_waiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult(null);
        }
    }

    private void PushBackoffLocked(QueuedPodInfo queued)
    {
        queued.Sequence = ++_sequence;
        _backoff[queued.Key] = queued;
        _backoffHeap.Enqueue(queued, (BackoffExpiry(queued).UtcTicks, queued.Sequence));
    }

    private void RemoveLocked(string key)
    {
        _active.Remove(key);
        _backoff.Remove(key);
        _unschedulable.Remove(key);
    }

    /// <summary>Whether a change may affect scheduling: anything but status and bookkeeping metadata (isPodUpdated).</summary>
    private static bool IsPodUpdated(Pod oldPod, Pod newPod) =>
        !ReferenceEquals(oldPod, newPod)
        && (ApiJson.Serialize(oldPod.Spec) != ApiJson.Serialize(newPod.Spec)
            || ApiJson.Serialize(oldPod.Metadata?.Labels) != ApiJson.Serialize(newPod.Metadata?.Labels)
            || ApiJson.Serialize(oldPod.Metadata?.Annotations) != ApiJson.Serialize(newPod.Metadata?.Annotations));
}
