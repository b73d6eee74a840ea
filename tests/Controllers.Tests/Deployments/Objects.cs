using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Tests.Deployments;

/// <summary>Builders for the objects the deployment controller's tests use.</summary>
internal static class Objects
{
    public static DeploymentObject Deployment(string ns, string name, int replicas, string image = "nginx:1.25",
        string strategy = "RollingUpdate", IntOrString? maxSurge = null, IntOrString? maxUnavailable = null) => new()
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = $"uid-{name}", Generation = 1 },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
                Template = Template(name, image),
                Strategy = new DeploymentStrategy
                {
                    Type = strategy,
                    RollingUpdate = strategy == "RollingUpdate"
                        ? new RollingUpdateDeployment { MaxSurge = maxSurge ?? "25%", MaxUnavailable = maxUnavailable ?? "25%" }
                        : null,
                },
                RevisionHistoryLimit = 10,
                ProgressDeadlineSeconds = 600,
            },
        };

    public static PodTemplateSpec Template(string app, string image) => new()
    {
        Metadata = new ObjectMeta { Labels = new() { ["app"] = app } },
        Spec = new PodSpec { Containers = [new Container { Name = "main", Image = image }] },
    };

    /// <summary>A ReplicaSet created at <paramref name="createdSecond"/> seconds past a fixed epoch.</summary>
    public static ReplicaSet ReplicaSet(string name, int replicas, int createdSecond = 0, PodTemplateSpec? template = null,
        int? available = null, long? revision = null, int? maxReplicas = null)
    {
        var rs = new ReplicaSet
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = "ns",
                Uid = $"uid-{name}",
                CreationTimestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(createdSecond),
                Annotations = [],
                Generation = 1,
            },
            Spec = new ReplicaSetSpec { Replicas = replicas, Template = template ?? Template("web", "nginx:1.25") },
            Status = new ReplicaSetStatus { Replicas = replicas, ReadyReplicas = available ?? replicas, AvailableReplicas = available ?? replicas, ObservedGeneration = 1 },
        };
        if (revision is { } r)
        {
            rs.Metadata.Annotations[Controllers.Deployments.DeploymentUtil.RevisionAnnotation] = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (maxReplicas is { } m)
        {
            rs.Metadata.Annotations[Controllers.Deployments.DeploymentUtil.MaxReplicasAnnotation] = m.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return rs;
    }
}
