using MiniKube.Api.Core;
using MiniKube.Api.Quantities;

namespace MiniKube.Scheduler.Framework;

/// <summary>
/// A pod with what scheduling needs of it computed once (framework.PodInfo): its requests, the key that groups it
/// with its siblings for spreading, and the node it is on (or assumed on). The Pod is the informer's instance: never
/// mutate it.
/// </summary>
public sealed class PodInfo
{
    /// <summary>Kubernetes' defaults for a container that requests nothing, used only for scoring (so that such pods still spread).</summary>
    public const long DefaultMilliCpuRequest = 100;

    public const long DefaultMemoryRequest = 200 * 1024 * 1024;

    public PodInfo(Pod pod, string? nodeName = null)
    {
        Pod = pod;
        Namespace = pod.Metadata?.Namespace ?? "";
        Name = pod.Metadata?.Name ?? "";
        Key = string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";
        Uid = pod.Metadata?.Uid ?? "";
        NodeName = nodeName ?? pod.Spec?.NodeName ?? "";
        Priority = pod.Spec?.Priority ?? 0;
        (Requests, NonZeroRequests) = ComputeRequests(pod.Spec);
        SpreadKey = ComputeSpreadKey(pod);
    }

    private PodInfo(PodInfo other, string nodeName)
    {
        Pod = other.Pod;
        Namespace = other.Namespace;
        Name = other.Name;
        Key = other.Key;
        Uid = other.Uid;
        Priority = other.Priority;
        Requests = other.Requests;
        NonZeroRequests = other.NonZeroRequests;
        SpreadKey = other.SpreadKey;
        NodeName = nodeName;
    }

    public Pod Pod { get; }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>namespace/name.</summary>
    public string Key { get; }

    public string Uid { get; }

    /// <summary>spec.nodeName, or the node the scheduler assumed it on; empty when unassigned.</summary>
    public string NodeName { get; }

    public int Priority { get; }

    /// <summary>What the pod requests (resource.PodRequests: containers summed, each init container as a floor, plus overhead).</summary>
    public Resource Requests { get; }

    /// <summary>As Requests, with defaults for containers that request nothing; what the scores count.</summary>
    public Resource NonZeroRequests { get; }

    /// <summary>Pods with the same key are spread across nodes: the controller ownerReference's uid, else the labels; null for neither.</summary>
    public string? SpreadKey { get; }

    /// <summary>The same pod, placed on <paramref name="nodeName"/> (what the scheduler assumes before the binding lands).</summary>
    public PodInfo AssumedOn(string nodeName) => new(this, nodeName);

    public override string ToString() => Key;

    private static (Resource Requests, Resource NonZero) ComputeRequests(PodSpec? spec)
    {
        Resource requests = default, nonZero = default;
        foreach (var container in spec?.Containers ?? [])
        {
            var (r, nz) = ContainerRequests(container);
            requests += r;
            nonZero += nz;
        }

        Resource sidecars = default;
        foreach (var init in spec?.InitContainers ?? [])
        {
            var (r, nz) = ContainerRequests(init);
            if (init.RestartPolicy == "Always")
            {
                // A sidecar runs alongside the app containers, so it adds to them.
                requests += r;
                nonZero += nz;
                sidecars += r;
            }
            else
            {
                requests = Resource.Max(requests, r + sidecars);
                nonZero = Resource.Max(nonZero, nz + sidecars);
            }
        }

        if (spec?.Overhead is { } overhead)
        {
            var o = new Resource(MilliCpu(overhead), Memory(overhead));
            requests += o;
            nonZero += o;
        }

        return (requests, nonZero);
    }

    private static (Resource Requests, Resource NonZero) ContainerRequests(Container container)
    {
        var requests = container.Resources?.Requests;
        var hasCpu = requests?.ContainsKey("cpu") == true;
        var hasMemory = requests?.ContainsKey("memory") == true;
        var r = new Resource(requests is null ? 0 : MilliCpu(requests), requests is null ? 0 : Memory(requests));
        return (r, new Resource(hasCpu ? r.MilliCpu : DefaultMilliCpuRequest, hasMemory ? r.Memory : DefaultMemoryRequest));
    }

    internal static long MilliCpu(Dictionary<string, Quantity> resources) => resources.TryGetValue("cpu", out var q) ? q.MilliValue : 0;

    internal static long Memory(Dictionary<string, Quantity> resources) => resources.TryGetValue("memory", out var q) ? q.Value : 0;

    private static string? ComputeSpreadKey(Pod pod)
    {
        foreach (var owner in pod.Metadata?.OwnerReferences ?? [])
        {
            if (owner.Controller == true)
            {
                return "owner:" + (owner.Uid ?? $"{owner.Kind}/{owner.Name}");
            }
        }

        if (pod.Metadata?.Labels is not { Count: > 0 } labels)
        {
            return null;
        }

        return "labels:" + pod.Metadata.Namespace + "/" + string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
    }
}
