using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler;

/// <summary>The scheduling core's settings (KubeSchedulerConfiguration's relevant part).</summary>
public sealed record SchedulerOptions
{
    public const string DefaultSchedulerName = "default-scheduler";

    /// <summary>Pods whose spec.schedulerName is this (or empty) are ours.</summary>
    public string SchedulerName { get; init; } = DefaultSchedulerName;

    /// <summary>How many bindings (and status writes) run at once; scheduling itself is one thread. Many in flight let the
    /// store commit them in large batches (kube-scheduler bounds its binding goroutines only by the client's rate limit).</summary>
    public int Parallelism { get; init; } = 256;

    /// <summary>How many Scheduled events may wait to be written before more are dropped (client-go's maxQueuedEvents).</summary>
    public int MaxQueuedEvents { get; init; } = 1000;

    /// <summary>0: Kubernetes' adaptive default (50 % − nodes/125, at least 5 %, and never fewer than 100 nodes).</summary>
    public int PercentageOfNodesToScore { get; init; }

    /// <summary>Seeds the tie-break among equally scored nodes.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public TimeSpan PodInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PodMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PodMaxInUnschedulablePodsDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Null: the default profile.</summary>
    public IReadOnlyList<IFilterPlugin>? Filters { get; init; }

    public IReadOnlyList<IScorePlugin>? Scores { get; init; }

    /// <summary>Told of failures worth a log line (bindings and status writes that failed).</summary>
    public Action<string>? Log { get; init; }
}
