using System.Collections.Concurrent;
using MiniKube.Api.Core;

namespace MiniKube.Scheduler.Tests;

/// <summary>Records what the scheduler writes; bindings fail for the pods named in FailBindingOf.</summary>
public sealed class FakeSchedulerApi : ISchedulerApi
{
    public ConcurrentDictionary<string, string> Bindings { get; } = new();

    public ConcurrentQueue<(string Pod, PodCondition Condition)> Conditions { get; } = new();

    public ConcurrentQueue<(string Pod, string Type, string Reason, string Message)> Events { get; } = new();

    public ConcurrentDictionary<string, bool> FailBindingOf { get; } = new();

    /// <summary>While set, event writes wait for it (a slow apiserver); the bindings do not.</summary>
    public TaskCompletionSource? HoldEvents { get; set; }

    /// <summary>The most event writes that were in progress at once.</summary>
    public int MaxConcurrentEvents => _maxConcurrentEvents;

    private int _concurrentEvents;
    private int _maxConcurrentEvents;

    private static string Key(Pod pod) => $"{pod.Metadata!.Namespace}/{pod.Metadata.Name}";

    public Task BindAsync(Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        if (FailBindingOf.ContainsKey(Key(pod)))
        {
            throw new HttpRequestException("binding refused");
        }

        Assert.True(Bindings.TryAdd(Key(pod), nodeName), $"{Key(pod)} bound twice");
        return Task.CompletedTask;
    }

    public Task UpdatePodConditionAsync(Pod pod, PodCondition condition, CancellationToken cancellationToken)
    {
        Conditions.Enqueue((Key(pod), condition));
        return Task.CompletedTask;
    }

    public async Task RecordEventAsync(Pod pod, string type, string reason, string message)
    {
        var now = Interlocked.Increment(ref _concurrentEvents);
        int max;
        while (now > (max = _maxConcurrentEvents) && Interlocked.CompareExchange(ref _maxConcurrentEvents, now, max) != max)
        {
        }

        try
        {
            if (HoldEvents is { } hold)
            {
                await hold.Task;
            }

            Events.Enqueue((Key(pod), type, reason, message));
        }
        finally
        {
            Interlocked.Decrement(ref _concurrentEvents);
        }
    }
}
