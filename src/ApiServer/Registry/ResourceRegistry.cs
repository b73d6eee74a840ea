using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry.Strategies;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Registry;

/// <summary>Every resource the apiserver stores, with its strategy, and its REST store.</summary>
public sealed class ResourceRegistry
{
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceStore> _stores = [];

    public ResourceRegistry(IObjectStorage storage, TimeProvider clock)
    {
        Namespaces = new NamespaceLookup(storage, clock);
        foreach (var resource in Resources)
        {
            _stores[(resource.Group, resource.Version, resource.Plural)] = new ResourceStore(resource, storage, Namespaces, clock);
        }
    }

    public NamespaceLookup Namespaces { get; }

    public IEnumerable<ResourceStore> Stores => _stores.Values;

    public ResourceStore? Find(string group, string version, string plural) => _stores.GetValueOrDefault((group, version, plural));

    public ResourceStore Get(string group, string plural) => _stores.Values.First(s => s.Resource.Group == group && s.Resource.Plural == plural);

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

    /// <summary>The stored resources (bindings are not stored: they are pods/binding in disguise).</summary>
    public static IReadOnlyList<RestResource> Resources { get; } =
    [
        new(ApiResources.Namespaces, new NamespaceStrategy()),
        new(ApiResources.Nodes, new TypedStrategy(ApiResources.Nodes.ClrType) { HasStatus = true, ResetStatusOnCreate = false }),
        new(ApiResources.Pods, new PodStrategy()),
        new(ApiResources.Events, new TypedStrategy(ApiResources.Events.ClrType) { AllowCreateOnUpdate = true }),
        new(ApiResources.ConfigMaps, new TypedStrategy(ApiResources.ConfigMaps.ClrType)),
        new(ApiResources.Secrets, new TypedStrategy(ApiResources.Secrets.ClrType)),
        new(ApiResources.Services, new TypedStrategy(ApiResources.Services.ClrType) { HasStatus = true }),
        new(ApiResources.Deployments, new TypedStrategy(ApiResources.Deployments.ClrType) { HasStatus = true, TracksGeneration = true }),
        new(ApiResources.ReplicaSets, new TypedStrategy(ApiResources.ReplicaSets.ClrType) { HasStatus = true, TracksGeneration = true }),
        new(ApiResources.Leases, new TypedStrategy(ApiResources.Leases.ClrType) { AllowCreateOnUpdate = true }),
    ];
}
