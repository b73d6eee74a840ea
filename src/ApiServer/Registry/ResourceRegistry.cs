using System.Text.Json.Nodes;
using MiniKube.Api.Apps;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry.Strategies;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Registry;

/// <summary>Every resource the apiserver serves, and its REST store.</summary>
public sealed class ResourceRegistry
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] All = ["all"];

    private readonly Dictionary<(string Group, string Version, string Plural), ResourceStore> _stores = [];

    public ResourceRegistry(IObjectStorage storage, TimeProvider clock)
    {
        Namespaces = new NamespaceLookup(storage);
        foreach (var resource in Resources)
        {
            _stores[(resource.Group, resource.Version, resource.Plural)] = new ResourceStore(resource, storage, Namespaces, clock);
        }
    }

    public NamespaceLookup Namespaces { get; }

    public IEnumerable<ResourceStore> Stores => _stores.Values;

    public ResourceStore? Find(string group, string version, string plural) => _stores.GetValueOrDefault((group, version, plural));

    /// <summary>The namespaces every cluster has, created when missing (kube-apiserver's system namespaces controller).</summary>
    public async Task EnsureSystemNamespacesAsync(CancellationToken cancellationToken)
    {
        var namespaces = Get("", "namespaces");
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            try
            {
                await namespaces.CreateAsync(null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, WriteOptions.Default, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 409)
            {
            }
        }
    }

    public ResourceStore Get(string group, string plural) => _stores.Values.First(s => s.Resource.Group == group && s.Resource.Plural == plural);

    /// <summary>The groups and versions served, in discovery order (the core group first).</summary>
    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } = [("", "v1"), ("apps", "v1"), ("coordination.k8s.io", "v1")];

    public static IReadOnlyList<RestResource> Resources { get; } =
    [
        new("", "v1", "Namespace", "namespaces", "namespace", false, "namespaces", ["ns"], AllVerbs.Except(["deletecollection"]).ToArray(), [], ["status"], new NamespaceStrategy()),
        new("", "v1", "Node", "nodes", "node", false, "minions", ["no"], AllVerbs, [], ["status"],
            new TypedStrategy(typeof(Node)) { HasStatus = true, ResetStatusOnCreate = false, SelectableFields = new HashSet<string> { "spec.unschedulable" } }),
        new("", "v1", "Pod", "pods", "pod", true, "pods", ["po"], AllVerbs, All, ["status", "binding"], new PodStrategy()),
        new("", "v1", "Event", "events", "event", true, "events", ["ev"], AllVerbs, [], [],
            new TypedStrategy(typeof(Event))
            {
                AllowCreateOnUpdate = true,
                SelectableFields = new HashSet<string>
                {
                    "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
                    "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
                },
            }),
        new("", "v1", "ConfigMap", "configmaps", "configmap", true, "configmaps", ["cm"], AllVerbs, [], [], new TypedStrategy(typeof(ConfigMap))),
        new("", "v1", "Secret", "secrets", "secret", true, "secrets", [], AllVerbs, [], [],
            new TypedStrategy(typeof(Secret)) { SelectableFields = new HashSet<string> { "type" } }),
        new("", "v1", "Service", "services", "service", true, "services", ["svc"], AllVerbs.Except(["deletecollection"]).ToArray(), All, ["status"],
            new TypedStrategy(typeof(Service)) { HasStatus = true }),
        new("apps", "v1", "Deployment", "deployments", "deployment", true, "deployments", ["deploy"], AllVerbs, All, ["status", "scale"],
            new TypedStrategy(typeof(Deployment)) { HasStatus = true, TracksGeneration = true }),
        new("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, "replicasets", ["rs"], AllVerbs, All, ["status", "scale"],
            new TypedStrategy(typeof(ReplicaSet)) { HasStatus = true, TracksGeneration = true, SelectableFields = new HashSet<string> { "status.replicas" } }),
        new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, "leases", [], AllVerbs, [], [],
            new TypedStrategy(typeof(Lease)) { AllowCreateOnUpdate = true }),
    ];
}
