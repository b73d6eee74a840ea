using MiniKube.Api.Apps;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Defaulting;
using MiniKube.Api.Meta;
using MiniKube.Api.Quantities;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Tests.Defaulting;

public class ObjectDefaulterTests
{
    private static Pod MinimalPod() => ApiJson.Deserialize<Pod>("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
         "spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80}],
           "resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}},
           "livenessProbe":{"httpGet":{"port":80}},
           "env":[{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}],
          "volumes":[{"name":"a"},{"name":"b","secret":{"secretName":"s"}},{"name":"c","configMap":{"name":"c"}}]}}
        """u8);

    [Fact]
    public void Apply_sets_pod_defaults_when_fields_are_absent()
    {
        var pod = MinimalPod();
        ObjectDefaulter.Apply(pod);
        var spec = pod.Spec!;
        Assert.Equal("Always", spec.RestartPolicy);
        Assert.Equal("ClusterFirst", spec.DnsPolicy);
        Assert.Equal(30, spec.TerminationGracePeriodSeconds);
        Assert.Equal("default-scheduler", spec.SchedulerName);
        Assert.NotNull(spec.SecurityContext);
        Assert.True(spec.EnableServiceLinks);
        Assert.Equal("PreemptLowerPriority", spec.PreemptionPolicy);
        Assert.Equal(0, spec.Priority);
        var container = spec.Containers![0];
        Assert.Equal("Always", container.ImagePullPolicy);
        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
        Assert.Equal("TCP", container.Ports![0].Protocol);
        // Requests come from limits only where a request is missing.
        Assert.Equal("500m", container.Resources!.Requests!["cpu"].ToString());
        Assert.Equal("1Gi", container.Resources.Requests["memory"].ToString());
        Assert.Equal((1, 10, 1, 3), (container.LivenessProbe!.TimeoutSeconds, container.LivenessProbe.PeriodSeconds, container.LivenessProbe.SuccessThreshold, container.LivenessProbe.FailureThreshold));
        Assert.Equal(("/", "HTTP"), (container.LivenessProbe.HttpGet!.Path, container.LivenessProbe.HttpGet.Scheme));
        Assert.Equal("v1", container.Env![0].ValueFrom!.FieldRef!.ApiVersion);
        Assert.NotNull(spec.Volumes![0].EmptyDir);
        Assert.Equal(420, spec.Volumes[1].Secret!.DefaultMode);
        Assert.Equal(420, spec.Volumes[2].ConfigMap!.DefaultMode);
    }

    [Fact]
    public void Apply_keeps_values_that_are_set_and_changes_nothing_when_applied_twice()
    {
        var pod = MinimalPod();
        pod.Spec!.RestartPolicy = "Never";
        pod.Spec.TerminationGracePeriodSeconds = 5;
        pod.Spec.Containers![0].ImagePullPolicy = "Never";
        ObjectDefaulter.Apply(pod);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal(5, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("Never", pod.Spec.Containers[0].ImagePullPolicy);
        var once = ApiJson.Serialize(pod);
        ObjectDefaulter.Apply(pod);
        Assert.Equal(once, ApiJson.Serialize(pod));
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.25", "IfNotPresent")]
    [InlineData("localhost:5000/nginx", "Always")]
    [InlineData("localhost:5000/nginx:1.0", "IfNotPresent")]
    [InlineData("nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", "IfNotPresent")]
    public void DefaultPullPolicy_is_Always_when_tag_is_latest_or_absent(string image, string policy)
    {
        Assert.Equal(policy, ObjectDefaulter.DefaultPullPolicy(image));
    }

    [Fact]
    public void Apply_sets_hostPort_from_containerPort_when_pod_uses_host_network()
    {
        var pod = MinimalPod();
        pod.Spec!.HostNetwork = true;
        ObjectDefaulter.Apply(pod);
        Assert.Equal(80, pod.Spec.Containers![0].Ports![0].HostPort);
    }

    [Fact]
    public void Apply_sets_deployment_defaults_and_template_defaults()
    {
        var deployment = new Deployment
        {
            Metadata = new ObjectMeta { Name = "web" },
            Spec = new DeploymentSpec { Template = new PodTemplateSpec { Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx:1" }] } } },
        };
        ObjectDefaulter.Apply(deployment);
        var spec = deployment.Spec;
        Assert.Equal(1, spec.Replicas);
        Assert.Equal("RollingUpdate", spec.Strategy!.Type);
        Assert.Equal(new IntOrString("25%"), spec.Strategy.RollingUpdate!.MaxSurge);
        Assert.Equal(new IntOrString("25%"), spec.Strategy.RollingUpdate.MaxUnavailable);
        Assert.Equal(10, spec.RevisionHistoryLimit);
        Assert.Equal(600, spec.ProgressDeadlineSeconds);
        Assert.Equal("Always", spec.Template!.Spec!.RestartPolicy);
        Assert.Equal("IfNotPresent", spec.Template.Spec.Containers![0].ImagePullPolicy);
        // As in k8s, enableServiceLinks and priority are set on pods, not on templates.
        Assert.Null(spec.Template.Spec.EnableServiceLinks);
        Assert.Null(spec.Template.Spec.Priority);
    }

    [Fact]
    public void Apply_leaves_rollingUpdate_absent_when_strategy_is_Recreate()
    {
        var deployment = new Deployment { Spec = new DeploymentSpec { Replicas = 0, Strategy = new DeploymentStrategy { Type = "Recreate" } } };
        ObjectDefaulter.Apply(deployment);
        Assert.Null(deployment.Spec.Strategy.RollingUpdate);
        Assert.Equal(0, deployment.Spec.Replicas);
    }

    [Fact]
    public void Apply_sets_replicaset_replicas()
    {
        var replicaSet = new ReplicaSet();
        ObjectDefaulter.Apply(replicaSet);
        Assert.Equal(1, replicaSet.Spec!.Replicas);
    }

    [Fact]
    public void Apply_sets_service_defaults_and_targetPort_from_port()
    {
        var service = new Service { Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }, new ServicePort { Port = 81, TargetPort = "http" }] } };
        ObjectDefaulter.Apply(service);
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal("None", service.Spec.SessionAffinity);
        Assert.Equal("TCP", service.Spec.Ports[0].Protocol);
        Assert.Equal(new IntOrString(80), service.Spec.Ports[0].TargetPort);
        Assert.Equal(new IntOrString("http"), service.Spec.Ports[1].TargetPort);
    }

    [Fact]
    public void Apply_sets_secret_type_and_namespace_finalizer_and_phase()
    {
        var secret = new Secret();
        ObjectDefaulter.Apply(secret);
        Assert.Equal("Opaque", secret.Type);
        var ns = new Namespace();
        ObjectDefaulter.Apply(ns);
        Assert.Equal(["kubernetes"], ns.Spec!.Finalizers);
        Assert.Equal("Active", ns.Status!.Phase);
    }

    [Fact]
    public void Apply_merges_stringData_into_data_when_secret_has_it()
    {
        var secret = new Secret { Data = new() { ["a"] = "b2xk", ["keep"] = "eA==" }, StringData = new() { ["a"] = "new", ["pw"] = "héllo" } };
        ObjectDefaulter.Apply(secret);
        Assert.Null(secret.StringData);
        Assert.Equal("bmV3", secret.Data["a"]);
        Assert.Equal("eA==", secret.Data["keep"]);
        Assert.Equal("héllo", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.Data["pw"])));
    }

    [Fact]
    public void Apply_fills_serviceAccountName_from_the_deprecated_field()
    {
        var pod = MinimalPod();
        pod.Spec!.ServiceAccount = "builder";
        ObjectDefaulter.Apply(pod);
        Assert.Equal("builder", pod.Spec.ServiceAccountName);
    }

    [Fact]
    public void Apply_copies_capacity_to_allocatable_when_node_has_none()
    {
        var node = new Node { Status = new NodeStatus { Capacity = new() { ["cpu"] = Quantity.Parse("4") } } };
        ObjectDefaulter.Apply(node);
        Assert.Equal(Quantity.Parse("4"), node.Status.Allocatable!["cpu"]);
    }

    [Fact]
    public void Apply_changes_nothing_on_a_lease()
    {
        var lease = new Lease { Metadata = new ObjectMeta { Name = "l" } };
        var before = ApiJson.Serialize(lease);
        ObjectDefaulter.Apply(lease);
        Assert.Equal(before, ApiJson.Serialize(lease));
    }
}
