using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Defaulting;

/// <summary>Kubernetes' v1 defaults (pkg/apis/core/v1/defaults.go, apps/v1/defaults.go), plus the ones its
/// registries and admission set on create (namespace finalizers and phase, pod priority). Applying twice
/// changes nothing the second time; fields already set are left alone.</summary>
public static class ObjectDefaulter
{
    public const string DefaultSchedulerName = "default-scheduler";
    public const string TerminationLogPath = "/dev/termination-log";

    /// <summary>0644, the default mode of files from secret, configMap, projected and downwardAPI volumes.</summary>
    public const int DefaultFileMode = 420;

    public static void Apply(IKubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        switch (obj)
        {
            case Pod pod:
                ApplyPod(pod);
                break;
            case Deployment deployment:
                ApplyDeployment(deployment);
                break;
            case ReplicaSet replicaSet:
                replicaSet.Spec ??= new ReplicaSetSpec();
                replicaSet.Spec.Replicas ??= 1;
                ApplyPodTemplate(replicaSet.Spec.Template);
                break;
            case Service service:
                ApplyService(service);
                break;
            case Secret secret:
                ApplySecret(secret);
                break;
            case Namespace ns:
                ns.Spec ??= new NamespaceSpec();
                ns.Spec.Finalizers ??= ["kubernetes"];
                ns.Status ??= new NamespaceStatus();
                ns.Status.Phase ??= "Active";
                break;
            case Node node:
                if (node.Status?.Capacity is { } capacity && node.Status.Allocatable is null)
                    node.Status.Allocatable = new Dictionary<string, Quantities.Quantity>(capacity);
                break;
        }
    }

    /// <summary>SetDefaults_Pod: the pod-spec defaults, requests copied from limits, enableServiceLinks, and
    /// what the Priority admission plugin sets when no priority class is named.</summary>
    public static void ApplyPod(Pod pod)
    {
        pod.Spec ??= new PodSpec();
        var spec = pod.Spec;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
            DefaultRequestsFromLimits(container);
        spec.EnableServiceLinks ??= true;
        if (spec.HostNetwork == true)
            DefaultHostNetworkPorts(spec);
        ApplyPodSpec(spec);
        spec.Priority ??= 0;
        spec.PreemptionPolicy ??= "PreemptLowerPriority";
    }

    public static void ApplyPodTemplate(PodTemplateSpec? template)
    {
        if (template is null)
            return;
        template.Spec ??= new PodSpec();
        if (template.Spec.HostNetwork == true)
            DefaultHostNetworkPorts(template.Spec);
        ApplyPodSpec(template.Spec);
    }

    /// <summary>SetDefaults_PodSpec and the defaults of everything inside a pod spec.</summary>
    public static void ApplyPodSpec(PodSpec spec)
    {
        spec.DnsPolicy ??= "ClusterFirst";
        spec.RestartPolicy ??= "Always";
        spec.SecurityContext ??= new PodSecurityContext();
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.SchedulerName ??= DefaultSchedulerName;
        // The deprecated serviceAccount field and serviceAccountName mirror each other, as the v1 conversion makes them.
        if (string.IsNullOrEmpty(spec.ServiceAccountName) && !string.IsNullOrEmpty(spec.ServiceAccount))
            spec.ServiceAccountName = spec.ServiceAccount;
        if (spec.ServiceAccountName is { Length: > 0 } && spec.ServiceAccount is null)
            spec.ServiceAccount = spec.ServiceAccountName;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
            ApplyContainer(container);
        foreach (var volume in spec.Volumes ?? [])
            ApplyVolume(volume);
        foreach (var toleration in spec.Tolerations ?? [])
        {
            if (toleration.Operator is null && toleration.Key is not null)
                toleration.Operator = "Equal";
        }
    }

    public static void ApplyContainer(Container container)
    {
        container.ImagePullPolicy ??= DefaultPullPolicy(container.Image);
        container.TerminationMessagePath ??= TerminationLogPath;
        container.TerminationMessagePolicy ??= "File";
        foreach (var port in container.Ports ?? [])
            port.Protocol ??= "TCP";
        foreach (var env in container.Env ?? [])
        {
            if (env.ValueFrom?.FieldRef is { } fieldRef)
                fieldRef.ApiVersion ??= "v1";
        }
        ApplyProbe(container.LivenessProbe);
        ApplyProbe(container.ReadinessProbe);
        ApplyProbe(container.StartupProbe);
        ApplyHttpGet(container.Lifecycle?.PostStart?.HttpGet);
        ApplyHttpGet(container.Lifecycle?.PreStop?.HttpGet);
    }

    /// <summary>Always for ":latest" or an untagged image, else IfNotPresent (a digest counts as a tag).</summary>
    public static string DefaultPullPolicy(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
            return string.IsNullOrEmpty(image) ? "Always" : "IfNotPresent";
        // A colon after the last slash starts the tag; one before it belongs to a registry's port.
        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        if (colon < 0)
            return "Always";
        return image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    private static void ApplyProbe(Probe? probe)
    {
        if (probe is null)
            return;
        probe.TimeoutSeconds ??= 1;
        probe.PeriodSeconds ??= 10;
        probe.SuccessThreshold ??= 1;
        probe.FailureThreshold ??= 3;
        ApplyHttpGet(probe.HttpGet);
    }

    private static void ApplyHttpGet(HTTPGetAction? action)
    {
        if (action is null)
            return;
        action.Path ??= "/";
        action.Scheme ??= "HTTP";
    }

    private static void ApplyVolume(Volume volume)
    {
        if (volume.HostPath is null && volume.EmptyDir is null && volume.Secret is null && volume.ConfigMap is null
            && volume.PersistentVolumeClaim is null && volume.DownwardAPI is null && volume.Projected is null)
            volume.EmptyDir = new EmptyDirVolumeSource();
        if (volume.Secret is { } secret)
            secret.DefaultMode ??= DefaultFileMode;
        if (volume.ConfigMap is { } configMap)
            configMap.DefaultMode ??= DefaultFileMode;
        if (volume.DownwardAPI is { } downwardApi)
            downwardApi.DefaultMode ??= DefaultFileMode;
        if (volume.Projected is { } projected)
            projected.DefaultMode ??= DefaultFileMode;
        if (volume.HostPath is { } hostPath)
            hostPath.Type ??= "";
    }

    private static void DefaultRequestsFromLimits(Container container)
    {
        if (container.Resources?.Limits is not { Count: > 0 } limits)
            return;
        container.Resources.Requests ??= [];
        foreach (var (name, quantity) in limits)
            container.Resources.Requests.TryAdd(name, quantity);
    }

    // With the host's network a container port is a host port.
    private static void DefaultHostNetworkPorts(PodSpec spec)
    {
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            foreach (var port in container.Ports ?? [])
                port.HostPort ??= port.ContainerPortNumber;
        }
    }

    /// <summary>Type Opaque, and stringData merged into data (base64) and dropped, as k8s's v1 conversion does:
    /// stringData is write-only and never stored.</summary>
    public static void ApplySecret(Secret secret)
    {
        secret.Type ??= Secret.OpaqueType;
        if (secret.StringData is null)
            return;
        secret.Data ??= [];
        foreach (var (key, value) in secret.StringData)
            secret.Data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value));
        secret.StringData = null;
    }

    private static void ApplyDeployment(Deployment deployment)
    {
        deployment.Spec ??= new DeploymentSpec();
        var spec = deployment.Spec;
        spec.Replicas ??= 1;
        spec.Strategy ??= new DeploymentStrategy();
        spec.Strategy.Type ??= "RollingUpdate";
        if (spec.Strategy.Type == "RollingUpdate")
        {
            spec.Strategy.RollingUpdate ??= new RollingUpdateDeployment();
            spec.Strategy.RollingUpdate.MaxUnavailable ??= "25%";
            spec.Strategy.RollingUpdate.MaxSurge ??= "25%";
        }
        spec.RevisionHistoryLimit ??= 10;
        spec.ProgressDeadlineSeconds ??= 600;
        ApplyPodTemplate(spec.Template);
    }

    private static void ApplyService(Service service)
    {
        service.Spec ??= new ServiceSpec();
        var spec = service.Spec;
        spec.SessionAffinity ??= "None";
        spec.Type ??= "ClusterIP";
        if (spec.Type != "ExternalName")
            spec.InternalTrafficPolicy ??= "Cluster";
        if (spec.Type is "NodePort" or "LoadBalancer")
            spec.ExternalTrafficPolicy ??= "Cluster";
        foreach (var port in spec.Ports ?? [])
        {
            port.Protocol ??= "TCP";
            if (port.TargetPort is null || port.TargetPort == new IntOrString(0) || port.TargetPort == new IntOrString(""))
                port.TargetPort = port.Port ?? 0;
        }
    }
}
