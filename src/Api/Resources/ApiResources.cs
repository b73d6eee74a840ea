using MiniKube.Api.Apps;
using MiniKube.Api.Autoscaling;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Resources;

/// <summary>The resources this apiserver serves, and the discovery documents that describe them.</summary>
public static class ApiResources
{
    private static readonly string[] ReadWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] NoDeleteCollection = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] NamespacedFields = ["metadata.name", "metadata.namespace"];
    private static readonly string[] InAll = ["all"];

    public static ApiResource Namespaces { get; } = new(
        "", "v1", "Namespace", "NamespaceList", "namespaces", "namespace", false, ["ns"], NoDeleteCollection, [],
        ["status", "finalize"], "namespaces", typeof(Namespace), typeof(NamespaceList), ["metadata.name", "status.phase"]);

    public static ApiResource Nodes { get; } = new(
        "", "v1", "Node", "NodeList", "nodes", "node", false, ["no"], ReadWrite, [],
        ["status", "proxy"], "minions", typeof(Node), typeof(NodeList), ["metadata.name", "spec.unschedulable"]);

    public static ApiResource Pods { get; } = new(
        "", "v1", "Pod", "PodList", "pods", "pod", true, ["po"], ReadWrite, InAll,
        ["status", "binding", "log", "eviction"], "pods", typeof(Pod), typeof(PodList),
        [.. NamespacedFields, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"]);

    public static ApiResource Bindings { get; } = new(
        "", "v1", "Binding", "", "bindings", "binding", true, [], ["create"], [],
        [], "bindings", typeof(Binding), typeof(Binding), []);

    public static ApiResource Events { get; } = new(
        "", "v1", "Event", "EventList", "events", "event", true, ["ev"], ReadWrite, [],
        [], "events", typeof(Event), typeof(EventList),
        [.. NamespacedFields, "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type"]);

    public static ApiResource ConfigMaps { get; } = new(
        "", "v1", "ConfigMap", "ConfigMapList", "configmaps", "configmap", true, ["cm"], ReadWrite, [],
        [], "configmaps", typeof(ConfigMap), typeof(ConfigMapList), NamespacedFields);

    public static ApiResource Secrets { get; } = new(
        "", "v1", "Secret", "SecretList", "secrets", "secret", true, [], ReadWrite, [],
        [], "secrets", typeof(Secret), typeof(SecretList), [.. NamespacedFields, "type"]);

    public static ApiResource Services { get; } = new(
        "", "v1", "Service", "ServiceList", "services", "service", true, ["svc"], ReadWrite, InAll,
        ["status", "proxy"], "services/specs", typeof(Service), typeof(ServiceList),
        [.. NamespacedFields, "spec.clusterIP", "spec.type"]);

    public static ApiResource Deployments { get; } = new(
        "apps", "v1", "Deployment", "DeploymentList", "deployments", "deployment", true, ["deploy"], ReadWrite, InAll,
        ["status", "scale"], "deployments", typeof(Deployment), typeof(DeploymentList), NamespacedFields);

    public static ApiResource ReplicaSets { get; } = new(
        "apps", "v1", "ReplicaSet", "ReplicaSetList", "replicasets", "replicaset", true, ["rs"], ReadWrite, InAll,
        ["status", "scale"], "replicasets", typeof(ReplicaSet), typeof(ReplicaSetList),
        [.. NamespacedFields, "status.replicas"]);

    public static ApiResource Leases { get; } = new(
        "coordination.k8s.io", "v1", "Lease", "LeaseList", "leases", "lease", true, [], ReadWrite, [],
        [], "leases", typeof(Lease), typeof(LeaseList), NamespacedFields);

    /// <summary>Every resource, in discovery order.</summary>
    public static IReadOnlyList<ApiResource> All { get; } =
        [Bindings, ConfigMaps, Events, Namespaces, Nodes, Pods, Secrets, Services, Deployments, ReplicaSets, Leases];

    /// <summary>The served group versions, the core group ("") first.</summary>
    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [("", "v1"), ("apps", "v1"), ("coordination.k8s.io", "v1")];

    public static ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>Finds a resource by apiVersion ("v1", "apps/v1") and kind.</summary>
    public static ApiResource? FindByKind(string apiVersion, string kind)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        return All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Kind == kind && r.ListKind.Length > 0)
            ?? All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Kind == kind);
    }

    /// <summary>Finds the resource whose object or list type is <paramref name="clrType"/>.</summary>
    public static ApiResource? FindByClrType(Type clrType) =>
        All.FirstOrDefault(r => r.ClrType == clrType) ?? All.FirstOrDefault(r => r.ListClrType == clrType && r.ListKind.Length > 0);

    // Kinds that are written but are not resources of their own.
    private static readonly Dictionary<Type, (string ApiVersion, string Kind)> OtherKinds = new()
    {
        [typeof(Scale)] = ("autoscaling/v1", nameof(Scale)),
        [typeof(Status)] = ("v1", nameof(Status)),
        [typeof(DeleteOptions)] = ("v1", nameof(DeleteOptions)),
        [typeof(Table)] = ("meta.k8s.io/v1", nameof(Table)),
        [typeof(PartialObjectMetadata)] = ("meta.k8s.io/v1", nameof(PartialObjectMetadata)),
        [typeof(APIResourceList)] = ("v1", nameof(APIResourceList)),
        [typeof(APIGroupList)] = ("v1", nameof(APIGroupList)),
        [typeof(APIGroup)] = ("v1", nameof(APIGroup)),
    };

    /// <summary>Fills apiVersion and kind of an object built in code (they are empty on a new object).</summary>
    public static T WithTypeMeta<T>(T obj) where T : ITypeMeta
    {
        var type = obj.GetType();
        if (OtherKinds.TryGetValue(type, out var other))
        {
            (obj.ApiVersion, obj.Kind) = other;
            return obj;
        }
        var resource = FindByClrType(type) ?? throw new ArgumentException($"{type.Name} is not a served kind", nameof(obj));
        obj.ApiVersion = resource.ApiVersion;
        obj.Kind = resource.ClrType == type ? resource.Kind : resource.ListKind;
        return obj;
    }

    /// <summary>Splits "apps/v1" into ("apps", "v1") and "v1" into ("", "v1").</summary>
    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    /// <summary>/api: the core group's versions.</summary>
    public static APIVersions CoreVersions() => new() { Kind = "APIVersions", Versions = ["v1"], ServerAddressByClientCIDRs = [] };

    /// <summary>/apis: the named groups.</summary>
    public static APIGroupList Groups() => new()
    {
        Kind = "APIGroupList",
        ApiVersion = "v1",
        Groups = [.. GroupVersions.Where(gv => gv.Group.Length > 0).Select(gv => Group(gv.Group)!)],
    };

    /// <summary>/apis/{group}: null when the group is not served.</summary>
    public static APIGroup? Group(string group)
    {
        var versions = GroupVersions.Where(gv => gv.Group == group && group.Length > 0)
            .Select(gv => new GroupVersionForDiscovery { GroupVersion = $"{gv.Group}/{gv.Version}", Version = gv.Version })
            .ToList();
        return versions.Count == 0
            ? null
            : new APIGroup { Kind = "APIGroup", ApiVersion = "v1", Name = group, Versions = versions, PreferredVersion = versions[0] };
    }

    /// <summary>/api/v1 or /apis/{group}/{version}: the resources and subresources; null when not served.</summary>
    public static APIResourceList? ResourceList(string group, string version)
    {
        if (!GroupVersions.Contains((group, version)))
            return null;
        var entries = new List<APIResource>();
        foreach (var r in All.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            entries.Add(new APIResource
            {
                Name = r.Plural,
                SingularName = r.Singular,
                Namespaced = r.Namespaced,
                Kind = r.Kind,
                Verbs = [.. r.Verbs],
                ShortNames = r.ShortNames.Count > 0 ? [.. r.ShortNames] : null,
                Categories = r.Categories.Count > 0 ? [.. r.Categories] : null,
            });
            foreach (var sub in r.Subresources.Order(StringComparer.Ordinal))
                entries.Add(Subresource(r, sub));
        }
        return new APIResourceList
        {
            Kind = "APIResourceList",
            ApiVersion = "v1",
            GroupVersion = group.Length == 0 ? version : $"{group}/{version}",
            Resources = entries,
        };
    }

    private static APIResource Subresource(ApiResource r, string sub) => sub switch
    {
        "status" => new() { Name = $"{r.Plural}/status", Namespaced = r.Namespaced, Kind = r.Kind, Verbs = ["get", "patch", "update"], SingularName = "" },
        "scale" => new() { Name = $"{r.Plural}/scale", Namespaced = r.Namespaced, Group = "autoscaling", Version = "v1", Kind = nameof(Scale), Verbs = ["get", "patch", "update"], SingularName = "" },
        "binding" => new() { Name = $"{r.Plural}/binding", Namespaced = r.Namespaced, Kind = nameof(Binding), Verbs = ["create"], SingularName = "" },
        "eviction" => new() { Name = $"{r.Plural}/eviction", Namespaced = r.Namespaced, Group = "policy", Version = "v1", Kind = "Eviction", Verbs = ["create"], SingularName = "" },
        "log" => new() { Name = $"{r.Plural}/log", Namespaced = r.Namespaced, Kind = r.Kind, Verbs = ["get"], SingularName = "" },
        "finalize" => new() { Name = $"{r.Plural}/finalize", Namespaced = r.Namespaced, Kind = r.Kind, Verbs = ["update"], SingularName = "" },
        _ => new() { Name = $"{r.Plural}/{sub}", Namespaced = r.Namespaced, Kind = r.Kind == "Node" ? "NodeProxyOptions" : "ServiceProxyOptions", Verbs = ["create", "delete", "get", "patch", "update"], SingularName = "" },
    };
}
