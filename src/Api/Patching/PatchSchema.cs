using System.Collections.Concurrent;

namespace MiniKube.Api.Patching;

/// <summary>
/// Which fields of a kind merge in a strategic merge patch, keyed by dotted path from the object's root
/// where list elements add no segment: "spec.containers" is the containers list and
/// "spec.containers.env" the env list of each container. Fields not listed follow JSON merge patch
/// (maps merge, lists are replaced).
/// </summary>
public sealed class PatchSchema
{
    private static readonly ConcurrentDictionary<(string Group, string Kind), PatchSchema> Cache = new();

    private readonly Dictionary<string, FieldPatchInfo> fields;

    private PatchSchema(Dictionary<string, FieldPatchInfo> fields, bool isBuiltIn = false)
    {
        this.fields = fields;
        IsBuiltIn = isBuiltIn;
    }

    /// <summary>
    /// True for the kinds whose Go types carry patch tags. k8s answers a strategic merge patch on any other
    /// kind (custom resources) with 415 Unsupported Media Type; the apiserver may do the same.
    /// </summary>
    public bool IsBuiltIn { get; }

    /// <summary>No metadata at all: plain JSON merge patch behaviour.</summary>
    public static PatchSchema Empty { get; } = new([]);

    public IReadOnlyDictionary<string, FieldPatchInfo> Fields => fields;

    public FieldPatchInfo? Lookup(string path) => fields.GetValueOrDefault(path);

    /// <summary>A copy with one more field described.</summary>
    public PatchSchema With(string path, FieldPatchInfo info) => new(new Dictionary<string, FieldPatchInfo>(fields) { [path] = info }, IsBuiltIn);

    /// <summary>
    /// The schema of a built-in kind, following the patchStrategy/patchMergeKey tags of k8s.io/api.
    /// Every kind gets ObjectMeta's fields; kinds this project does not model get only those (k8s refuses
    /// strategic merge patches for custom resources; here they behave like JSON merge patches).
    /// </summary>
    public static PatchSchema ForKind(string apiVersion, string kind)
    {
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        return Cache.GetOrAdd((group, kind), static key => Build(key.Group, key.Kind));
    }

    private static PatchSchema Build(string group, string kind)
    {
        var b = new Dictionary<string, FieldPatchInfo>(StringComparer.Ordinal);
        AddObjectMeta(b, "metadata");
        var builtIn = (group, kind) is ("", "Pod" or "PodTemplate" or "Service" or "Node" or "Namespace" or "Event" or "ConfigMap" or "Secret"
            or "Endpoints" or "ServiceAccount")
            or ("apps", "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet")
            or ("coordination.k8s.io", "Lease");
        switch (group, kind)
        {
            case ("", "Pod"):
                AddPodSpec(b, "spec");
                AddPodStatus(b, "status");
                break;
            case ("", "PodTemplate"):
                AddObjectMeta(b, "template.metadata");
                AddPodSpec(b, "template.spec");
                break;
            case ("apps", "Deployment"):
                AddObjectMeta(b, "spec.template.metadata");
                AddPodSpec(b, "spec.template.spec");
                b["spec.strategy"] = new FieldPatchInfo(PatchStrategy.Default, RetainKeys: true);
                b["status.conditions"] = FieldPatchInfo.MergeBy("type");
                break;
            case ("apps", "ReplicaSet" or "StatefulSet" or "DaemonSet"):
                AddObjectMeta(b, "spec.template.metadata");
                AddPodSpec(b, "spec.template.spec");
                b["status.conditions"] = FieldPatchInfo.MergeBy("type");
                break;
            case ("", "Service"):
                b["spec.ports"] = FieldPatchInfo.MergeBy("port");
                b["status.conditions"] = FieldPatchInfo.MergeBy("type");
                break;
            case ("", "Node"):
                b["spec.podCIDRs"] = FieldPatchInfo.MergeSet;
                b["status.conditions"] = FieldPatchInfo.MergeBy("type");
                b["status.addresses"] = FieldPatchInfo.MergeBy("type");
                break;
            case ("", "Namespace"):
                b["status.conditions"] = FieldPatchInfo.MergeBy("type");
                break;
        }
        return new PatchSchema(b, builtIn);
    }

    private static void AddObjectMeta(Dictionary<string, FieldPatchInfo> b, string prefix)
    {
        b[prefix + ".ownerReferences"] = FieldPatchInfo.MergeBy("uid");
        b[prefix + ".finalizers"] = FieldPatchInfo.MergeSet;
        b[prefix + ".managedFields"] = FieldPatchInfo.ReplaceWhole;
    }

    private static void AddPodSpec(Dictionary<string, FieldPatchInfo> b, string prefix)
    {
        foreach (var list in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            var c = prefix + "." + list;
            b[c] = FieldPatchInfo.MergeBy("name");
            b[c + ".ports"] = FieldPatchInfo.MergeBy("containerPort");
            b[c + ".env"] = FieldPatchInfo.MergeBy("name");
            b[c + ".envFrom"] = FieldPatchInfo.ReplaceWhole;
            b[c + ".volumeMounts"] = FieldPatchInfo.MergeBy("mountPath");
            b[c + ".volumeDevices"] = FieldPatchInfo.MergeBy("devicePath");
        }
        b[prefix + ".volumes"] = new FieldPatchInfo(PatchStrategy.Merge, "name", RetainKeys: true);
        b[prefix + ".imagePullSecrets"] = FieldPatchInfo.MergeBy("name");
        b[prefix + ".tolerations"] = FieldPatchInfo.ReplaceWhole;
        b[prefix + ".hostAliases"] = FieldPatchInfo.MergeBy("ip");
        b[prefix + ".topologySpreadConstraints"] = FieldPatchInfo.MergeBy("topologyKey");
        b[prefix + ".readinessGates"] = FieldPatchInfo.ReplaceWhole;
        b[prefix + ".resourceClaims"] = new FieldPatchInfo(PatchStrategy.Merge, "name", RetainKeys: true);
        b[prefix + ".schedulingGates"] = FieldPatchInfo.MergeBy("name");
    }

    private static void AddPodStatus(Dictionary<string, FieldPatchInfo> b, string prefix)
    {
        b[prefix + ".conditions"] = FieldPatchInfo.MergeBy("type");
        b[prefix + ".containerStatuses"] = FieldPatchInfo.ReplaceWhole;
        b[prefix + ".initContainerStatuses"] = FieldPatchInfo.ReplaceWhole;
        b[prefix + ".podIPs"] = FieldPatchInfo.MergeBy("ip");
        b[prefix + ".hostIPs"] = FieldPatchInfo.MergeBy("ip");
    }
}
