using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.Api.Quantities;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Validation;

/// <summary>pkg/apis/core/validation for pod specs: containers, ports, resources, volumes, policies,
/// tolerations, affinity, and what an update may change.</summary>
public static class PodSpecValidation
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] TerminationMessagePolicies = ["File", "FallbackToLogsOnError"];
    internal static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    private static readonly string[] StandardContainerResources = ["cpu", "memory", "ephemeral-storage"];

    public const string PodUpdateForbiddenMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static void ValidatePodSpec(PodSpec? spec, string path, List<FieldError> errors)
    {
        spec ??= new PodSpec();
        var volumes = ValidateVolumes(spec.Volumes, path + ".volumes", errors);
        var names = new HashSet<string>();
        ValidateContainers(spec.InitContainers, path + ".initContainers", volumes, names, errors);
        if (spec.Containers is not { Count: > 0 })
            errors.Add(FieldError.Required(path + ".containers"));
        else
            ValidateContainers(spec.Containers, path + ".containers", volumes, names, errors);
        // A container-level restart policy makes an init container a sidecar; nothing else may have one.
        for (var i = 0; i < (spec.InitContainers?.Count ?? 0); i++)
        {
            if (spec.InitContainers![i].RestartPolicy is { } policy && policy != "Always")
                errors.Add(FieldError.NotSupported($"{path}.initContainers[{i}].restartPolicy", policy, ["Always"]));
        }
        for (var i = 0; i < (spec.Containers?.Count ?? 0); i++)
        {
            if (spec.Containers![i].RestartPolicy is not null)
                errors.Add(FieldError.Forbidden($"{path}.containers[{i}].restartPolicy", "may not be set for non-init containers"));
        }

        if (string.IsNullOrEmpty(spec.RestartPolicy))
            errors.Add(FieldError.Required(path + ".restartPolicy"));
        else if (!RestartPolicies.Contains(spec.RestartPolicy))
            errors.Add(FieldError.NotSupported(path + ".restartPolicy", spec.RestartPolicy, RestartPolicies));
        if (string.IsNullOrEmpty(spec.DnsPolicy))
            errors.Add(FieldError.Required(path + ".dnsPolicy"));
        else if (!DnsPolicies.Contains(spec.DnsPolicy))
            errors.Add(FieldError.NotSupported(path + ".dnsPolicy", spec.DnsPolicy, DnsPolicies));
        else if (spec.DnsPolicy == "None" && spec.DnsConfig is null)
            errors.Add(FieldError.Required(path + ".dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"));

        MetaValidation.ValidateLabels(spec.NodeSelector, path + ".nodeSelector", errors);
        if (!string.IsNullOrEmpty(spec.ServiceAccountName))
        {
            foreach (var message in ValidationRules.IsDns1123Subdomain(spec.ServiceAccountName))
                errors.Add(FieldError.Invalid(path + ".serviceAccountName", spec.ServiceAccountName, message));
        }
        if (!string.IsNullOrEmpty(spec.NodeName))
        {
            foreach (var message in ValidationRules.IsDns1123Subdomain(spec.NodeName))
                errors.Add(FieldError.Invalid(path + ".nodeName", spec.NodeName, message));
        }
        if (spec.ActiveDeadlineSeconds is { } deadline && deadline is < 1 or > int.MaxValue)
            errors.Add(FieldError.Invalid(path + ".activeDeadlineSeconds", deadline, ValidationRules.InclusiveRangeError(1, int.MaxValue)));
        if (spec.TerminationGracePeriodSeconds is < 0)
            errors.Add(FieldError.Invalid(path + ".terminationGracePeriodSeconds", spec.TerminationGracePeriodSeconds.Value, "must be greater than or equal to 0"));
        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            foreach (var message in ValidationRules.IsDns1123Label(spec.Hostname))
                errors.Add(FieldError.Invalid(path + ".hostname", spec.Hostname, message));
        }
        if (!string.IsNullOrEmpty(spec.Subdomain))
        {
            foreach (var message in ValidationRules.IsDns1123Label(spec.Subdomain))
                errors.Add(FieldError.Invalid(path + ".subdomain", spec.Subdomain, message));
        }
        if (spec.PreemptionPolicy is { Length: > 0 } preemption && preemption is not ("PreemptLowerPriority" or "Never"))
            errors.Add(FieldError.NotSupported(path + ".preemptionPolicy", preemption, ["Never", "PreemptLowerPriority"]));
        ValidateTolerations(spec.Tolerations, path + ".tolerations", errors);
        ValidateAffinity(spec.Affinity, path + ".affinity", errors);
        ValidateTopologySpread(spec.TopologySpreadConstraints, path + ".topologySpreadConstraints", errors);
        for (var i = 0; i < (spec.ReadinessGates?.Count ?? 0); i++)
        {
            var type = spec.ReadinessGates![i].ConditionType ?? "";
            foreach (var message in ValidationRules.IsQualifiedName(type))
                errors.Add(FieldError.Invalid($"{path}.readinessGates[{i}].conditionType", type, message));
        }
        foreach (var (name, quantity) in spec.Overhead ?? [])
            ValidateNonNegative(quantity, $"{path}.overhead[{name}]", errors);
    }

    private static HashSet<string> ValidateVolumes(List<Volume>? volumes, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var volume = volumes![i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(volume.Name))
                errors.Add(FieldError.Required(at + ".name"));
            else
            {
                foreach (var message in ValidationRules.IsDns1123Label(volume.Name))
                    errors.Add(FieldError.Invalid(at + ".name", volume.Name, message));
                if (!names.Add(volume.Name))
                    errors.Add(FieldError.Duplicate(at + ".name", volume.Name));
            }
            var sources = new (string Name, object? Source)[]
            {
                ("hostPath", volume.HostPath), ("emptyDir", volume.EmptyDir), ("secret", volume.Secret),
                ("persistentVolumeClaim", volume.PersistentVolumeClaim), ("downwardAPI", volume.DownwardAPI),
                ("configMap", volume.ConfigMap), ("projected", volume.Projected),
            }.Where(s => s.Source is not null).ToList();
            if (sources.Count == 0)
                errors.Add(FieldError.Required(at, "must specify a volume type"));
            foreach (var extra in sources.Skip(1))
                errors.Add(FieldError.Forbidden($"{at}.{extra.Name}", "may not specify more than 1 volume type"));
            if (volume.HostPath is { } hostPath && string.IsNullOrEmpty(hostPath.Path))
                errors.Add(FieldError.Required(at + ".hostPath.path"));
            if (volume.Secret is { } secret && string.IsNullOrEmpty(secret.SecretName))
                errors.Add(FieldError.Required(at + ".secret.secretName"));
            if (volume.ConfigMap is { } configMap && string.IsNullOrEmpty(configMap.Name))
                errors.Add(FieldError.Required(at + ".configMap.name"));
            if (volume.PersistentVolumeClaim is { } claim && string.IsNullOrEmpty(claim.ClaimName))
                errors.Add(FieldError.Required(at + ".persistentVolumeClaim.claimName"));
            foreach (var (name, mode) in new[] { ("secret", volume.Secret?.DefaultMode), ("configMap", volume.ConfigMap?.DefaultMode), ("projected", volume.Projected?.DefaultMode), ("downwardAPI", volume.DownwardAPI?.DefaultMode) })
            {
                if (mode is < 0 or > 511)
                    errors.Add(FieldError.Invalid($"{at}.{name}.defaultMode", mode.Value, "must be a number between 0 and 0777 (octal), both inclusive"));
            }
            if (volume.EmptyDir?.SizeLimit is { } sizeLimit)
                ValidateNonNegative(sizeLimit, at + ".emptyDir.sizeLimit", errors);
        }
        return names;
    }

    private static void ValidateContainers(List<Container>? containers, string path, HashSet<string> volumes,
        HashSet<string> names, List<FieldError> errors)
    {
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            var container = containers![i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(container.Name))
                errors.Add(FieldError.Required(at + ".name"));
            else
            {
                foreach (var message in ValidationRules.IsDns1123Label(container.Name))
                    errors.Add(FieldError.Invalid(at + ".name", container.Name, message));
                if (!names.Add(container.Name))
                    errors.Add(FieldError.Duplicate(at + ".name", container.Name));
            }
            if (string.IsNullOrEmpty(container.Image))
                errors.Add(FieldError.Required(at + ".image"));
            else if (container.Image.Trim() != container.Image)
                errors.Add(FieldError.Invalid(at + ".image", container.Image, "must not have leading or trailing whitespace"));
            if (string.IsNullOrEmpty(container.ImagePullPolicy))
                errors.Add(FieldError.Required(at + ".imagePullPolicy"));
            else if (!PullPolicies.Contains(container.ImagePullPolicy))
                errors.Add(FieldError.NotSupported(at + ".imagePullPolicy", container.ImagePullPolicy, PullPolicies));
            if (string.IsNullOrEmpty(container.TerminationMessagePolicy))
                errors.Add(FieldError.Required(at + ".terminationMessagePolicy"));
            else if (!TerminationMessagePolicies.Contains(container.TerminationMessagePolicy))
                errors.Add(FieldError.NotSupported(at + ".terminationMessagePolicy", container.TerminationMessagePolicy, TerminationMessagePolicies));
            ValidateContainerPorts(container.Ports, at + ".ports", errors);
            ValidateEnv(container.Env, at + ".env", errors);
            ValidateVolumeMounts(container.VolumeMounts, volumes, at + ".volumeMounts", errors);
            ValidateResources(container.Resources, at + ".resources", errors);
            ValidateProbe(container.LivenessProbe, at + ".livenessProbe", errors);
            ValidateProbe(container.ReadinessProbe, at + ".readinessProbe", errors);
            ValidateProbe(container.StartupProbe, at + ".startupProbe", errors);
        }
    }

    private static void ValidateContainerPorts(List<ContainerPort>? ports, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i];
            var at = $"{path}[{i}]";
            if (!string.IsNullOrEmpty(port.Name))
            {
                foreach (var message in ValidationRules.IsValidPortName(port.Name))
                    errors.Add(FieldError.Invalid(at + ".name", port.Name, message));
                if (!names.Add(port.Name))
                    errors.Add(FieldError.Duplicate(at + ".name", port.Name));
            }
            if (port.ContainerPortNumber is null or 0)
                errors.Add(FieldError.Required(at + ".containerPort"));
            else
            {
                foreach (var message in ValidationRules.IsValidPortNum(port.ContainerPortNumber.Value))
                    errors.Add(FieldError.Invalid(at + ".containerPort", port.ContainerPortNumber.Value, message));
            }
            if (port.HostPort is { } hostPort and not 0)
            {
                foreach (var message in ValidationRules.IsValidPortNum(hostPort))
                    errors.Add(FieldError.Invalid(at + ".hostPort", hostPort, message));
            }
            if (string.IsNullOrEmpty(port.Protocol))
                errors.Add(FieldError.Required(at + ".protocol"));
            else if (!Protocols.Contains(port.Protocol))
                errors.Add(FieldError.NotSupported(at + ".protocol", port.Protocol, Protocols));
        }
    }

    private static void ValidateEnv(List<EnvVar>? env, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (env?.Count ?? 0); i++)
        {
            var variable = env![i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(variable.Name))
                errors.Add(FieldError.Required(at + ".name"));
            else
            {
                foreach (var message in ValidationRules.IsEnvVarName(variable.Name))
                    errors.Add(FieldError.Invalid(at + ".name", variable.Name, message));
            }
            if (variable.ValueFrom is { } source)
            {
                var count = new object?[] { source.FieldRef, source.ResourceFieldRef, source.ConfigMapKeyRef, source.SecretKeyRef }.Count(s => s is not null);
                if (!string.IsNullOrEmpty(variable.Value))
                    errors.Add(FieldError.Invalid(at + ".valueFrom", "", "may not be specified when `value` is not empty"));
                else if (count == 0)
                    errors.Add(FieldError.Invalid(at + ".valueFrom", "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
                else if (count > 1)
                    errors.Add(FieldError.Invalid(at + ".valueFrom", "", "may not have more than one field specified at a time"));
            }
        }
    }

    private static void ValidateVolumeMounts(List<VolumeMount>? mounts, HashSet<string> volumes, string path, List<FieldError> errors)
    {
        var mountPaths = new HashSet<string>();
        for (var i = 0; i < (mounts?.Count ?? 0); i++)
        {
            var mount = mounts![i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(mount.Name))
                errors.Add(FieldError.Required(at + ".name"));
            else if (!volumes.Contains(mount.Name))
                errors.Add(FieldError.NotFound(at + ".name", mount.Name));
            if (string.IsNullOrEmpty(mount.MountPath))
                errors.Add(FieldError.Required(at + ".mountPath"));
            else if (!mountPaths.Add(mount.MountPath))
                errors.Add(FieldError.Invalid(at + ".mountPath", mount.MountPath, "must be unique"));
        }
    }

    /// <summary>ValidateResourceRequirements: known resource names, non-negative quantities, requests ≤ limits
    /// (equal for resources that cannot be overcommitted, such as hugepages).</summary>
    public static void ValidateResources(ResourceRequirements? resources, string path, List<FieldError> errors)
    {
        if (resources is null)
            return;
        foreach (var (name, quantity) in resources.Limits ?? [])
        {
            var at = $"{path}.limits[{name}]";
            ValidateResourceName(name, at, errors);
            ValidateNonNegative(quantity, at, errors);
        }
        foreach (var (name, quantity) in resources.Requests ?? [])
        {
            var at = $"{path}.requests[{name}]";
            ValidateResourceName(name, at, errors);
            ValidateNonNegative(quantity, at, errors);
            if (resources.Limits?.TryGetValue(name, out var limit) != true)
                continue;
            var overcommit = !name.StartsWith("hugepages-", StringComparison.Ordinal) && (StandardContainerResources.Contains(name) || !name.Contains('/', StringComparison.Ordinal));
            if (!overcommit && quantity != limit)
                errors.Add(FieldError.Invalid(at, quantity.ToString(), $"must be equal to {name} limit of {limit}"));
            else if (quantity > limit)
                errors.Add(FieldError.Invalid(at, quantity.ToString(), $"must be less than or equal to {name} limit of {limit}"));
        }
    }

    private static void ValidateResourceName(string name, string path, List<FieldError> errors)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            foreach (var message in ValidationRules.IsQualifiedName(name))
                errors.Add(FieldError.Invalid(path, name, message));
        }
        else if (!StandardContainerResources.Contains(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal))
            errors.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
    }

    private static void ValidateNonNegative(Quantity quantity, string path, List<FieldError> errors)
    {
        if (quantity.Sign < 0)
            errors.Add(FieldError.Invalid(path, quantity.ToString(), "must be greater than or equal to 0"));
    }

    private static void ValidateProbe(Probe? probe, string path, List<FieldError> errors)
    {
        if (probe is null)
            return;
        var handlers = new object?[] { probe.Exec, probe.HttpGet, probe.TcpSocket, probe.Grpc }.Count(h => h is not null);
        if (handlers == 0)
            errors.Add(FieldError.Required(path, "must specify a handler type"));
        else if (handlers > 1)
            errors.Add(FieldError.Forbidden(path, "may not specify more than 1 handler type"));
        foreach (var (name, value) in new[] { ("initialDelaySeconds", probe.InitialDelaySeconds), ("timeoutSeconds", probe.TimeoutSeconds), ("periodSeconds", probe.PeriodSeconds), ("successThreshold", probe.SuccessThreshold), ("failureThreshold", probe.FailureThreshold) })
        {
            if (value is < 0)
                errors.Add(FieldError.Invalid($"{path}.{name}", value.Value, "must be greater than or equal to 0"));
        }
        if (probe.HttpGet is { } httpGet)
            ValidatePortNumOrName(httpGet.Port ?? 0, path + ".httpGet.port", errors);
        if (probe.TcpSocket is { } tcp)
            ValidatePortNumOrName(tcp.Port ?? 0, path + ".tcpSocket.port", errors);
    }

    public static void ValidatePortNumOrName(Meta.IntOrString port, string path, List<FieldError> errors)
    {
        if (port.IsString)
        {
            foreach (var message in ValidationRules.IsValidPortName(port.StringValue!))
                errors.Add(FieldError.Invalid(path, port.StringValue, message));
        }
        else
        {
            foreach (var message in ValidationRules.IsValidPortNum(port.IntValue))
                errors.Add(FieldError.Invalid(path, port.IntValue, message));
        }
    }

    public static void ValidateTaintEffect(string? effect, bool allowEmpty, string path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(effect))
        {
            if (!allowEmpty)
                errors.Add(FieldError.Required(path));
            return;
        }
        if (!TaintEffects.Contains(effect))
            errors.Add(FieldError.NotSupported(path, effect, TaintEffects));
    }

    private static void ValidateTolerations(List<Toleration>? tolerations, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            var toleration = tolerations![i];
            var at = $"{path}[{i}]";
            if (!string.IsNullOrEmpty(toleration.Key))
            {
                foreach (var message in ValidationRules.IsQualifiedName(toleration.Key))
                    errors.Add(FieldError.Invalid(at + ".key", toleration.Key, message));
            }
            if (string.IsNullOrEmpty(toleration.Key) && toleration.Operator != "Exists")
                errors.Add(FieldError.Invalid(at + ".operator", toleration.Operator ?? "", "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
                errors.Add(FieldError.Invalid(at + ".effect", toleration.Effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            switch (toleration.Operator)
            {
                case null or "" or "Equal":
                    foreach (var message in ValidationRules.IsValidLabelValue(toleration.Value ?? ""))
                        errors.Add(FieldError.Invalid(at + ".operator", toleration.Value ?? "", message));
                    break;
                case "Exists":
                    if (!string.IsNullOrEmpty(toleration.Value))
                        errors.Add(FieldError.Invalid(at + ".operator", toleration, "value must be empty when `operator` is 'Exists'"));
                    break;
                default:
                    errors.Add(FieldError.NotSupported(at + ".operator", toleration.Operator, ["Equal", "Exists"]));
                    break;
            }
            ValidateTaintEffect(toleration.Effect, true, at + ".effect", errors);
        }
    }

    private static void ValidateAffinity(Affinity? affinity, string path, List<FieldError> errors)
    {
        if (affinity is null)
            return;
        if (affinity.NodeAffinity is { } node)
        {
            var at = path + ".nodeAffinity";
            if (node.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
            {
                var terms = required.NodeSelectorTerms;
                var termsPath = at + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
                if (terms is not { Count: > 0 })
                    errors.Add(FieldError.Required(termsPath, "must have at least one node selector term"));
                for (var i = 0; i < (terms?.Count ?? 0); i++)
                    ValidateNodeSelectorTerm(terms![i], $"{termsPath}[{i}]", errors);
            }
            var preferred = node.PreferredDuringSchedulingIgnoredDuringExecution;
            for (var i = 0; i < (preferred?.Count ?? 0); i++)
            {
                var term = preferred![i];
                var termPath = $"{at}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
                if (term.Weight is not (>= 1 and <= 100))
                    errors.Add(FieldError.Invalid(termPath + ".weight", term.Weight ?? 0, "must be in the range 1-100"));
                ValidateNodeSelectorTerm(term.Preference ?? new NodeSelectorTerm(), termPath + ".preference", errors);
            }
        }
        ValidatePodAffinityTerms(affinity.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, affinity.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, path + ".podAffinity", errors);
        ValidatePodAffinityTerms(affinity.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, affinity.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, path + ".podAntiAffinity", errors);
    }

    private static void ValidateNodeSelectorTerm(NodeSelectorTerm term, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (term.MatchExpressions?.Count ?? 0); i++)
            ValidateNodeSelectorRequirement(term.MatchExpressions![i], $"{path}.matchExpressions[{i}]", true, errors);
        for (var i = 0; i < (term.MatchFields?.Count ?? 0); i++)
            ValidateNodeSelectorRequirement(term.MatchFields![i], $"{path}.matchFields[{i}]", false, errors);
    }

    private static void ValidateNodeSelectorRequirement(NodeSelectorRequirement requirement, string path, bool labelKey, List<FieldError> errors)
    {
        var count = requirement.Values?.Count ?? 0;
        switch (requirement.Operator)
        {
            case "In" or "NotIn":
                if (count == 0)
                    errors.Add(FieldError.Required(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                break;
            case "Exists" or "DoesNotExist":
                if (count > 0)
                    errors.Add(FieldError.Forbidden(path + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                break;
            case "Gt" or "Lt":
                if (count != 1)
                    errors.Add(FieldError.Required(path + ".values", "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                break;
            default:
                errors.Add(FieldError.Invalid(path + ".operator", requirement.Operator ?? "", "not a valid selector operator"));
                break;
        }
        if (labelKey)
        {
            foreach (var message in ValidationRules.IsQualifiedName(requirement.Key ?? ""))
                errors.Add(FieldError.Invalid(path + ".key", requirement.Key ?? "", message));
        }
    }

    private static void ValidatePodAffinityTerms(List<PodAffinityTerm>? required, List<WeightedPodAffinityTerm>? preferred, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (required?.Count ?? 0); i++)
            ValidatePodAffinityTerm(required![i], $"{path}.requiredDuringSchedulingIgnoredDuringExecution[{i}]", errors);
        for (var i = 0; i < (preferred?.Count ?? 0); i++)
        {
            var at = $"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
            if (preferred![i].Weight is not (>= 1 and <= 100))
                errors.Add(FieldError.Invalid(at + ".weight", preferred[i].Weight ?? 0, "must be in the range 1-100"));
            ValidatePodAffinityTerm(preferred[i].PodAffinityTerm ?? new PodAffinityTerm(), at + ".podAffinityTerm", errors);
        }
    }

    private static void ValidatePodAffinityTerm(PodAffinityTerm term, string path, List<FieldError> errors)
    {
        MetaValidation.ValidateLabelSelector(term.LabelSelector, path + ".labelSelector", errors);
        MetaValidation.ValidateLabelSelector(term.NamespaceSelector, path + ".namespaceSelector", errors);
        foreach (var ns in term.Namespaces ?? [])
        {
            foreach (var message in ValidationRules.IsDns1123Label(ns))
                errors.Add(FieldError.Invalid(path + ".namespace", ns, message));
        }
        if (string.IsNullOrEmpty(term.TopologyKey))
            errors.Add(FieldError.Required(path + ".topologyKey", "can not be empty"));
        else
        {
            foreach (var message in ValidationRules.IsQualifiedName(term.TopologyKey))
                errors.Add(FieldError.Invalid(path + ".topologyKey", term.TopologyKey, message));
        }
    }

    private static void ValidateTopologySpread(List<TopologySpreadConstraint>? constraints, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (constraints?.Count ?? 0); i++)
        {
            var constraint = constraints![i];
            var at = $"{path}[{i}]";
            if (constraint.MaxSkew is not > 0)
                errors.Add(FieldError.Invalid(at + ".maxSkew", constraint.MaxSkew ?? 0, "must be greater than zero"));
            if (string.IsNullOrEmpty(constraint.TopologyKey))
                errors.Add(FieldError.Required(at + ".topologyKey", "can not be empty"));
            if (constraint.WhenUnsatisfiable is not ("DoNotSchedule" or "ScheduleAnyway"))
                errors.Add(FieldError.NotSupported(at + ".whenUnsatisfiable", constraint.WhenUnsatisfiable ?? "", ["DoNotSchedule", "ScheduleAnyway"]));
            MetaValidation.ValidateLabelSelector(constraint.LabelSelector, at + ".labelSelector", errors);
        }
    }

    /// <summary>ValidatePodUpdate's spec rule: only images, activeDeadlineSeconds (set or shortened),
    /// tolerations (added to) and terminationGracePeriodSeconds (negative to 1) may change.</summary>
    public static void ValidatePodSpecUpdate(PodSpec updated, PodSpec old, string path, List<FieldError> errors)
    {
        if (updated.ActiveDeadlineSeconds is { } newDeadline)
        {
            if (newDeadline is < 0 or > int.MaxValue)
            {
                errors.Add(FieldError.Invalid(path + ".activeDeadlineSeconds", newDeadline, ValidationRules.InclusiveRangeError(0, int.MaxValue)));
                return;
            }
            if (old.ActiveDeadlineSeconds is { } oldDeadline && oldDeadline < newDeadline)
            {
                errors.Add(FieldError.Invalid(path + ".activeDeadlineSeconds", newDeadline, "must be less than or equal to previous value"));
                return;
            }
        }
        else if (old.ActiveDeadlineSeconds is not null)
            errors.Add(FieldError.Invalid(path + ".activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));

        // Compare the new spec with the mutable fields taken from the old one: whatever differs then is forbidden.
        var munged = ApiJson.FromNode<PodSpec>(ApiJson.ToNode(updated));
        CopyImages(munged.Containers, old.Containers);
        CopyImages(munged.InitContainers, old.InitContainers);
        munged.ActiveDeadlineSeconds = old.ActiveDeadlineSeconds;
        if (IsSuperset(updated.Tolerations, old.Tolerations))
            munged.Tolerations = old.Tolerations;
        if (old.TerminationGracePeriodSeconds < 0 && updated.TerminationGracePeriodSeconds == 1)
            munged.TerminationGracePeriodSeconds = old.TerminationGracePeriodSeconds;
        if (!JsonNode.DeepEquals(ApiJson.ToNode(munged), ApiJson.ToNode(old)))
            errors.Add(FieldError.Forbidden(path, PodUpdateForbiddenMessage));
    }

    private static void CopyImages(List<Container>? target, List<Container>? source)
    {
        if (target is null || source is null || target.Count != source.Count)
            return;
        for (var i = 0; i < target.Count; i++)
            target[i].Image = source[i].Image;
    }

    private static bool IsSuperset(List<Toleration>? updated, List<Toleration>? old)
    {
        var have = (updated ?? []).Select(t => ApiJson.Serialize(t)).ToHashSet();
        return (old ?? []).All(t => have.Contains(ApiJson.Serialize(t)));
    }
}
