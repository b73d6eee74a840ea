using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Queue;

/// <summary>A pod in the scheduling queue with its attempt count and timestamps (framework.QueuedPodInfo).</summary>
public sealed class QueuedPodInfo(PodInfo podInfo, DateTimeOffset timestamp)
{
    /// <summary>The latest version of the pod seen; replaced on update.</summary>
    public PodInfo PodInfo { get; internal set; } = podInfo;

    public string Key => PodInfo.Key;

    /// <summary>When the pod was last added (or put back) to the queue; the FIFO order and the backoff count from it.</summary>
    public DateTimeOffset Timestamp { get; internal set; } = timestamp;

    /// <summary>When the pod first entered the queue.</summary>
    public DateTimeOffset InitialAttemptTimestamp { get; } = timestamp;

    /// <summary>Scheduling attempts so far (bumped on each pop).</summary>
    public int Attempts { get; internal set; }

    /// <summary>Breaks ties in the heaps so that equal keys keep their insertion order.</summary>
    internal long Sequence { get; set; }

    /// <summary>Set when the pod changed (spec or labels) while it was being scheduled.</summary>
    internal bool UpdatedInFlight { get; set; }
}
