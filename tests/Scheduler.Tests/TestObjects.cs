using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Quantities;
using MiniKube.Scheduler.Cache;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Tests;

/// <summary>Nodes and pods for tests, with only what scheduling reads.</summary>
public static class TestObjects
{
    public static Node Node(string name, string cpu = "4", string memory = "8Gi", int pods = 110, Dictionary<string, string>? labels = null,
        List<Taint>? taints = null, bool unschedulable = false) => new()
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new ObjectMeta { Name = name, Labels = labels ?? new() { ["kubernetes.io/hostname"] = name } },
            Spec = new NodeSpec { Taints = taints, Unschedulable = unschedulable ? true : null },
            Status = new NodeStatus
            {
                Allocatable = new()
                {
                    ["cpu"] = Quantity.Parse(cpu),
                    ["memory"] = Quantity.Parse(memory),
                    ["pods"] = Quantity.FromInt64(pods),
                },
                Conditions = [new NodeCondition { Type = "Ready", Status = "True" }],
            },
        };

    public static Pod Pod(string name, string? cpu = null, string? memory = null, string ns = "default", string? nodeName = null,
        Dictionary<string, string>? labels = null, string? ownerUid = null, int? priority = null) => new()
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = ns,
                Uid = $"uid-{ns}-{name}",
                ResourceVersion = "1",
                Labels = labels,
                OwnerReferences = ownerUid is null ? null : [new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = ownerUid, Controller = true }],
            },
            Spec = new PodSpec
            {
                NodeName = nodeName,
                Priority = priority,
                SchedulerName = "default-scheduler",
                Containers =
                [
                    new Container
                    {
                        Name = "c",
                        Image = "nginx",
                        Resources = cpu is null && memory is null ? null : new ResourceRequirements
                        {
                            Requests = new Dictionary<string, Quantity>()
                                .With("cpu", cpu)
                                .With("memory", memory),
                        },
                    },
                ],
            },
            Status = new PodStatus { Phase = "Pending" },
        };

    public static Dictionary<string, Quantity> With(this Dictionary<string, Quantity> resources, string name, string? value)
    {
        if (value is not null)
        {
            resources[name] = Quantity.Parse(value);
        }

        return resources;
    }

    /// <summary>A NodeInfo as the cache builds it, with the given pods on it.</summary>
    public static NodeInfo NodeInfo(Node node, params Pod[] pods)
    {
        var cache = new SchedulerCache();
        cache.AddNode(node);
        foreach (var pod in pods)
        {
            pod.Spec!.NodeName = node.Metadata!.Name;
            cache.AddPod(pod);
        }

        return cache.GetNode(node.Metadata!.Name!)!;
    }
}
