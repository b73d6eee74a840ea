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

    public Task RecordEventAsync(Pod pod, string type, string reason, string message)
    {
        Events.Enqueue((Key(pod), type, reason, message));
        return Task.CompletedTask;
    }
}
