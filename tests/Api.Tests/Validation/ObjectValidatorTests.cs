using MiniKube.Api.Apps;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Defaulting;
using MiniKube.Api.Meta;
using MiniKube.Api.Quantities;
using MiniKube.Api.Serialization;
using MiniKube.Api.Validation;

namespace MiniKube.Api.Tests.Validation;

public class ObjectValidatorTests
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private static Pod ValidPod()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default", Labels = new() { ["app"] = "web" } },
            Spec = new PodSpec { Containers = [new Container { Name = "web", Image = "nginx:1.25", Ports = [new ContainerPort { ContainerPortNumber = 80 }] }] },
        };
        ObjectDefaulter.Apply(pod);
        return pod;
    }

    private static Deployment ValidDeployment()
    {
        var deployment = new Deployment
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new DeploymentSpec
            {
                Replicas = 3,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } },
                    Spec = new PodSpec { Containers = [new Container { Name = "web", Image = "nginx:1.25" }] },
                },
            },
        };
        ObjectDefaulter.Apply(deployment);
        return deployment;
    }

    private static string Describe(IReadOnlyList<FieldError> errors) => string.Join("\n", errors);

    [Fact]
    public void Validate_returns_no_errors_when_pod_is_valid()
    {
        Assert.Empty(ObjectValidator.Validate(ValidPod()));
        Assert.Empty(ObjectValidator.Validate(ValidDeployment()));
    }

    [Theory]
    [InlineData("pod.json", typeof(Pod))]
    [InlineData("pending-pod.json", typeof(Pod))]
    [InlineData("node.json", typeof(Node))]
    [InlineData("namespace.json", typeof(Namespace))]
    [InlineData("deployment.json", typeof(Deployment))]
    [InlineData("replicaset.json", typeof(ReplicaSet))]
    [InlineData("service.json", typeof(Service))]
    [InlineData("external-service.json", typeof(Service))]
    [InlineData("configmap.json", typeof(ConfigMap))]
    [InlineData("secret.json", typeof(Secret))]
    [InlineData("event.json", typeof(Event))]
    [InlineData("lease.json", typeof(Lease))]
    [InlineData("binding.json", typeof(Binding))]
    public void Validate_accepts_real_objects_after_defaulting(string file, Type type)
    {
        var obj = (IKubernetesObject)ApiJson.Deserialize(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Serialization", "Samples", file)), type);
        ObjectDefaulter.Apply(obj);
        var errors = ObjectValidator.Validate(obj);
        Assert.True(errors.Count == 0, Describe(errors));
    }

    [Fact]
    public void Validate_reports_k8s_subdomain_message_when_name_is_invalid()
    {
        var pod = ValidPod();
        pod.Metadata!.Name = "Foo_bar";
        var error = Assert.Single(ObjectValidator.Validate(pod));
        Assert.Equal(new FieldError("FieldValueInvalid", "metadata.name", "Invalid value: \"Foo_bar\": " + SubdomainMessage), error);
    }

    [Fact]
    public void Validate_requires_name_unless_generateName_is_set()
    {
        var pod = ValidPod();
        pod.Metadata!.Name = null;
        Assert.Equal(new FieldError("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"), Assert.Single(ObjectValidator.Validate(pod)));
        pod.Metadata.GenerateName = "web-";
        Assert.Empty(ObjectValidator.Validate(pod));
        pod.Metadata.Namespace = null;
        Assert.Equal("metadata.namespace: Required value", Assert.Single(ObjectValidator.Validate(pod)).ToString());
    }

    [Fact]
    public void Validate_requires_dns_label_when_object_is_a_namespace()
    {
        var ns = new Namespace { Metadata = new ObjectMeta { Name = "team.a" } };
        Assert.Equal("metadata.name: Invalid value: \"team.a\": " + LabelMessage, Assert.Single(ObjectValidator.Validate(ns)).ToString());
        ns.Metadata.Name = "team-a";
        ns.Metadata.Namespace = "default";
        Assert.Equal("metadata.namespace: Forbidden: not allowed on this type", Assert.Single(ObjectValidator.Validate(ns)).ToString());
    }

    [Fact]
    public void Validate_reports_label_keys_and_values_as_k8s_does()
    {
        var pod = ValidPod();
        pod.Metadata!.Labels = new() { ["bad key"] = "ok", ["app"] = new string('a', 64) };
        var errors = ObjectValidator.Validate(pod).Select(e => e.ToString()).ToList();
        Assert.Contains("metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", errors);
        Assert.Contains($"metadata.labels: Invalid value: \"{new string('a', 64)}\": must be no more than 63 characters", errors);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Validate_reports_TooLong_when_annotations_exceed_256KiB()
    {
        var pod = ValidPod();
        pod.Metadata!.Annotations = new() { ["big"] = new string('x', 256 * 1024) };
        Assert.Equal(new FieldError("FieldValueTooLong", "metadata.annotations", "Too long: may not be more than 262144 bytes"), Assert.Single(ObjectValidator.Validate(pod)));
    }

    [Fact]
    public void Validate_requires_a_container_when_pod_has_none()
    {
        var pod = ValidPod();
        pod.Spec!.Containers = [];
        Assert.Equal(new FieldError("FieldValueRequired", "spec.containers", "Required value"), Assert.Single(ObjectValidator.Validate(pod)));
    }

    [Fact]
    public void Validate_reports_container_errors_with_k8s_paths()
    {
        var pod = ValidPod();
        var second = new Container { Name = "web", Image = "", Ports = [new ContainerPort { ContainerPortNumber = 70000, Protocol = "HTTP" }] };
        ObjectDefaulter.ApplyContainer(second);
        pod.Spec!.Containers!.Add(second);
        pod.Spec.RestartPolicy = "Sometimes";
        var errors = ObjectValidator.Validate(pod).Select(e => e.ToString()).ToList();
        Assert.Equal(
        [
            "spec.containers[1].name: Duplicate value: \"web\"",
            "spec.containers[1].image: Required value",
            "spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[1].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        ], errors);
    }

    [Fact]
    public void Validate_checks_resource_quantities_and_requests_against_limits()
    {
        var pod = ValidPod();
        pod.Spec!.Containers![0].Resources = new ResourceRequirements
        {
            Limits = new() { ["cpu"] = Quantity.Parse("1"), ["memory"] = Quantity.Parse("-1Mi") },
            Requests = new() { ["cpu"] = Quantity.Parse("1500m"), ["gpus"] = Quantity.Parse("1") },
        };
        var errors = ObjectValidator.Validate(pod).Select(e => e.ToString()).ToList();
        Assert.Equal(
        [
            "spec.containers[0].resources.limits[memory]: Invalid value: \"-1Mi\": must be greater than or equal to 0",
            "spec.containers[0].resources.requests[cpu]: Invalid value: \"1500m\": must be less than or equal to cpu limit of 1",
            "spec.containers[0].resources.requests[gpus]: Invalid value: \"gpus\": must be a standard resource for containers",
        ], errors);
    }

    [Fact]
    public void Validate_reports_volume_mount_of_an_unknown_volume()
    {
        var pod = ValidPod();
        pod.Spec!.Containers![0].VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data" }];
        Assert.Equal("spec.containers[0].volumeMounts[0].name: Not found: \"data\"", Assert.Single(ObjectValidator.Validate(pod)).ToString());
        pod.Spec.Volumes = [new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() }];
        Assert.Empty(ObjectValidator.Validate(pod));
    }

    [Fact]
    public void Validate_reports_toleration_and_affinity_errors()
    {
        var pod = ValidPod();
        pod.Spec!.Tolerations = [new Toleration { Key = "k", Operator = "Exists", Value = "v" }, new Toleration { Operator = "Equal", Effect = "Sometimes" }];
        pod.Spec.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = [] } },
        };
        var errors = ObjectValidator.Validate(pod).Select(e => e.ToString()).ToList();
        Assert.Contains("spec.tolerations[0].operator: Invalid value: {\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\"}: value must be empty when `operator` is 'Exists'", errors);
        Assert.Contains("spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"", errors);
        Assert.Contains("spec.tolerations[1].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"", errors);
        Assert.Contains("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term", errors);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Validate_reports_negative_replicas_as_k8s_does()
    {
        var deployment = ValidDeployment();
        deployment.Spec!.Replicas = -1;
        Assert.Equal(new FieldError("FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than or equal to 0"), Assert.Single(ObjectValidator.Validate(deployment)));
    }

    [Fact]
    public void Validate_reports_selector_not_matching_template_labels()
    {
        var deployment = ValidDeployment();
        deployment.Spec!.Template!.Metadata!.Labels = new() { ["app"] = "other", ["tier"] = "front" };
        Assert.Equal(
            new FieldError("FieldValueInvalid", "spec.template.metadata.labels", "Invalid value: {\"app\":\"other\",\"tier\":\"front\"}: `selector` does not match template `labels`"),
            Assert.Single(ObjectValidator.Validate(deployment)));
    }

    [Fact]
    public void Validate_requires_a_non_empty_selector()
    {
        var deployment = ValidDeployment();
        deployment.Spec!.Selector = null;
        Assert.Equal("spec.selector: Required value", Assert.Single(ObjectValidator.Validate(deployment)).ToString());
        deployment.Spec.Selector = new LabelSelector();
        Assert.Equal("spec.selector: Invalid value: {}: empty selector is invalid for deployment", Assert.Single(ObjectValidator.Validate(deployment)).ToString());
    }

    [Fact]
    public void Validate_reports_template_restartPolicy_and_strategy_errors()
    {
        var deployment = ValidDeployment();
        deployment.Spec!.Template!.Spec!.RestartPolicy = "Never";
        deployment.Spec.Strategy!.RollingUpdate = new RollingUpdateDeployment { MaxSurge = 0, MaxUnavailable = "0%" };
        var errors = ObjectValidator.Validate(deployment).Select(e => e.ToString()).ToList();
        Assert.Equal(
        [
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0",
        ], errors);
        deployment.Spec.Template.Spec.RestartPolicy = "Always";
        deployment.Spec.Strategy = new DeploymentStrategy { Type = "BlueGreen" };
        Assert.Equal("spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"", Assert.Single(ObjectValidator.Validate(deployment)).ToString());
        deployment.Spec.Strategy = new DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDeployment { MaxSurge = "ten", MaxUnavailable = "120%" } };
        Assert.Equal(
        [
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"ten\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%",
        ], ObjectValidator.Validate(deployment).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_forbids_selector_change_when_deployment_is_updated()
    {
        var old = ValidDeployment();
        var updated = ValidDeployment();
        updated.Spec!.Replicas = 5;
        Assert.Empty(ObjectValidator.Validate(updated, old));
        updated.Spec.Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web", ["v"] = "2" } };
        updated.Spec.Template!.Metadata!.Labels!["v"] = "2";
        Assert.Equal("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"v\":\"2\"}}: field is immutable", Assert.Single(ObjectValidator.Validate(updated, old)).ToString());
    }

    [Fact]
    public void Validate_allows_image_change_and_forbids_other_spec_changes_when_pod_is_updated()
    {
        var old = ValidPod();
        var updated = ValidPod();
        updated.Spec!.Containers![0].Image = "nginx:1.26";
        updated.Spec.ActiveDeadlineSeconds = 60;
        updated.Spec.Tolerations = [new Toleration { Key = "k", Operator = "Exists" }];
        Assert.Empty(ObjectValidator.Validate(updated, old));
        updated.Spec.NodeName = "node-1";
        var error = Assert.Single(ObjectValidator.Validate(updated, old));
        Assert.Equal(("FieldValueForbidden", "spec"), (error.Type, error.Field));
        Assert.StartsWith("Forbidden: pod updates may not change fields other than `spec.containers[*].image`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_activeDeadlineSeconds_increase_and_name_change_when_pod_is_updated()
    {
        var old = ValidPod();
        old.Spec!.ActiveDeadlineSeconds = 60;
        var updated = ValidPod();
        updated.Spec!.ActiveDeadlineSeconds = 120;
        updated.Metadata!.Name = "other";
        Assert.Equal(
        [
            "metadata.name: Invalid value: \"other\": field is immutable",
            "spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value",
        ], ObjectValidator.Validate(updated, old).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_reports_service_errors()
    {
        var service = new Service { Metadata = new ObjectMeta { Name = "1web", Namespace = "default" }, Spec = new ServiceSpec { Type = "Internal", Ports = [new ServicePort { Port = 80 }, new ServicePort { Name = "b", Port = 0, TargetPort = "a--b" }] } };
        ObjectDefaulter.Apply(service);
        var errors = ObjectValidator.Validate(service).Select(e => e.ToString()).ToList();
        Assert.Equal(
        [
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            "spec.ports[0].name: Required value",
            "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[1].targetPort: Invalid value: \"a--b\": must not contain consecutive hyphens",
        ], errors);
        service.Spec.Ports = [];
        service.Spec.Type = "ClusterIP";
        service.Metadata.Name = "web";
        Assert.Equal("spec.ports: Required value", Assert.Single(ObjectValidator.Validate(service)).ToString());
    }

    [Fact]
    public void Validate_reports_configmap_keys_and_immutable_updates()
    {
        var cm = new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = "default" }, Data = new() { ["a b"] = "1", ["ok.key"] = "2" } };
        Assert.Equal(
            "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            Assert.Single(ObjectValidator.Validate(cm)).ToString());
        var old = new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = "default" }, Immutable = true, Data = new() { ["k"] = "1" } };
        var updated = new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = "default" }, Immutable = true, Data = new() { ["k"] = "2" } };
        Assert.Equal("data: Forbidden: field is immutable when `immutable` is set", Assert.Single(ObjectValidator.Validate(updated, old)).ToString());
    }

    [Fact]
    public void Validate_reports_lease_duration_and_binding_target()
    {
        var lease = new Lease { Metadata = new ObjectMeta { Name = "node-1", Namespace = "kube-node-lease" }, Spec = new LeaseSpec { LeaseDurationSeconds = 0, LeaseTransitions = -1 } };
        Assert.Equal(
        [
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
        ], ObjectValidator.Validate(lease).Select(e => e.ToString()));
        var binding = new Binding { Metadata = new ObjectMeta { Name = "p", Namespace = "default" }, Target = new ObjectReference { Kind = "Pod" } };
        Assert.Equal(
        [
            "target.kind: Unsupported value: \"Pod\": supported values: \"Node\"",
            "target.name: Required value",
        ], ObjectValidator.Validate(binding).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_reports_duplicate_taints_on_a_node()
    {
        var node = new Node { Metadata = new ObjectMeta { Name = "node-1" }, Spec = new NodeSpec { Taints = [new Taint { Key = "k", Effect = "NoSchedule" }, new Taint { Key = "k", Effect = "NoSchedule" }, new Taint { Key = "j" }] } };
        Assert.Equal(
        [
            "spec.taints[1]: Duplicate value: {\"key\":\"k\",\"effect\":\"NoSchedule\"}: taints must be unique by key and effect pair",
            "spec.taints[2].effect: Required value",
        ], ObjectValidator.Validate(node).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_allows_restartPolicy_only_on_init_containers()
    {
        var pod = ValidPod();
        var sidecar = new Container { Name = "proxy", Image = "envoy:1", RestartPolicy = "Always" };
        ObjectDefaulter.ApplyContainer(sidecar);
        pod.Spec!.InitContainers = [sidecar];
        Assert.Empty(ObjectValidator.Validate(pod));
        sidecar.RestartPolicy = "Never";
        pod.Spec.Containers![0].RestartPolicy = "Always";
        Assert.Equal(
        [
            "spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
        ], ObjectValidator.Validate(pod).Select(e => e.ToString()));
    }

    [Fact]
    public void PodValidator_reports_through_FluentValidation_with_k8s_paths_and_types()
    {
        var pod = ValidPod();
        pod.Spec!.DnsPolicy = "Custom";
        var result = new PodValidator().Validate(pod);
        var failure = Assert.Single(result.Errors);
        Assert.Equal(("spec.dnsPolicy", "FieldValueNotSupported"), (failure.PropertyName, failure.ErrorCode));
        Assert.Equal("Unsupported value: \"Custom\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"", failure.ErrorMessage);
    }

    [Fact]
    public void ValidateStatusUpdate_ignores_spec_rules_and_checks_the_status()
    {
        var old = ValidPod();
        var updated = ValidPod();
        updated.Spec!.Containers = [];
        updated.Status = new PodStatus { Phase = "Running", PodIP = "10.0.0.5", PodIPs = [new PodIP { Ip = "10.0.0.5" }], Conditions = [new PodCondition { Type = "Ready", Status = "True" }] };
        Assert.Empty(ObjectValidator.ValidateStatusUpdate(updated, old));
        updated.Status.Phase = "Done";
        updated.Spec.NodeName = "node-1";
        Assert.Equal(
        [
            "status.nodeName: Forbidden: may not be changed directly",
            "status.phase: Unsupported value: \"Done\": supported values: \"Pending\", \"Running\", \"Succeeded\", \"Failed\", \"Unknown\"",
        ], ObjectValidator.ValidateStatusUpdate(updated, old).Select(e => e.ToString()));
    }

    [Fact]
    public void ValidateStatusUpdate_reports_workload_counts_above_replicas()
    {
        var old = ValidDeployment();
        var updated = ValidDeployment();
        updated.Status = new DeploymentStatus { Replicas = 2, ReadyReplicas = 3, AvailableReplicas = 3, UpdatedReplicas = -1 };
        Assert.Equal(
        [
            "status.updatedReplicas: Invalid value: -1: must be greater than or equal to 0",
            "status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
        ], ObjectValidator.ValidateStatusUpdate(updated, old).Select(e => e.ToString()));
        var rs = new ReplicaSet { Metadata = new ObjectMeta { Name = "r", Namespace = "default" }, Status = new ReplicaSetStatus { Replicas = 3, ReadyReplicas = 1, AvailableReplicas = 2 } };
        Assert.Equal("status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas",
            Assert.Single(ObjectValidator.ValidateStatusUpdate(rs, new ReplicaSet { Metadata = new ObjectMeta { Name = "r", Namespace = "default" } })).ToString());
    }

    [Fact]
    public void Validate_throws_when_kind_has_no_validator()
    {
        Assert.Throws<ArgumentException>(() => ObjectValidator.Validate(new PartialObjectMetadata()));
        Assert.Throws<ArgumentException>(() => ObjectValidator.Validate(ValidPod(), ValidDeployment()));
    }
}
