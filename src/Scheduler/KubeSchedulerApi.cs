using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.Client;
using MiniKube.Client.Events;

namespace MiniKube.Scheduler;

/// <summary>The scheduler's writes through the apiserver.</summary>
public sealed class KubeSchedulerApi(KubeClient client, EventRecorder recorder) : ISchedulerApi
{
    public Task BindAsync(Pod pod, string nodeName, CancellationToken cancellationToken) =>
        client.BindAsync(pod.Metadata?.Namespace ?? "", pod.Metadata?.Name ?? "", nodeName, cancellationToken);

    /// <summary>A strategic merge patch of status.conditions (merged by type), as Kubernetes' util.PatchPodStatus sends.</summary>
    public async Task UpdatePodConditionAsync(Pod pod, PodCondition condition, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = condition.Type,
                    ["status"] = condition.Status,
                    ["lastProbeTime"] = condition.LastProbeTime?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["lastTransitionTime"] = condition.LastTransitionTime?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["reason"] = condition.Reason,
                    ["message"] = condition.Message,
                }),
            },
        };
        await client.PatchAsync<Pod>(pod.Metadata?.Namespace, pod.Metadata?.Name ?? "", PatchType.StrategicMerge, patch.ToJsonString(), "status", cancellationToken)
            .ConfigureAwait(false);
    }

    public Task RecordEventAsync(Pod pod, string type, string reason, string message) =>
        recorder.Event(new ObjectReference
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Namespace = pod.Metadata?.Namespace,
            Name = pod.Metadata?.Name,
            Uid = pod.Metadata?.Uid,
            ResourceVersion = pod.Metadata?.ResourceVersion,
        }, type, reason, message);
}
