using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.ApiServer.Admission;

namespace MiniKube.ApiServer.Registry.Strategies;

/// <summary>Pods: a new pod starts Pending with its QoS class and the default NoExecute tolerations; only the status subresource writes status.</summary>
public sealed class PodStrategy : TypedStrategy
{
    public PodStrategy()
        : base(typeof(Pod))
    {
        HasStatus = true;
    }

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        DefaultTolerationSeconds.Admit(obj);
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj) };
    }

    /// <summary>Kubernetes' QoS class: Guaranteed when every container limits cpu and memory at its requests, BestEffort with no requests or limits at all.</summary>
    internal static string QosClass(JsonObject pod)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Concat(pod["spec"]?["initContainers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var container in containers)
        {
            var requests = container["resources"]?["requests"] as JsonObject;
            var limits = container["resources"]?["limits"] as JsonObject;
            if (requests is { Count: > 0 } || limits is { Count: > 0 })
            {
                any = true;
            }

            foreach (var resource in new[] { "cpu", "memory" })
            {
                var limit = limits?[resource]?.ToString();
                var request = requests?[resource]?.ToString() ?? limit;
                if (limit is null || request != limit)
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
