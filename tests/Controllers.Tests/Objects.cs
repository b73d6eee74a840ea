using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Controllers.Tests;

/// <summary>Objects the tests create.</summary>
public static class Objects
{
    public static Api.Apps.ReplicaSet ReplicaSet(string ns, string name, int replicas, Dictionary<string, string> labels, int minReadySeconds = 0) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new LabelSelector { MatchLabels = labels },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = labels },
                Spec = PodSpec(),
            },
        },
    };

    public static Pod Pod(string ns, string name, Dictionary<string, string> labels, List<OwnerReference>? owners = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels, OwnerReferences = owners },
        Spec = PodSpec(),
    };

    public static PodSpec PodSpec() => new() { Containers = [new Container { Name = "app", Image = "nginx" }] };

    public static OwnerReference OwnerRef(IKubernetesObject owner, string apiVersion, string kind, bool controller = true, bool block = true) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Metadata!.Name,
        Uid = owner.Metadata.Uid,
        Controller = controller,
        BlockOwnerDeletion = block,
    };
}
