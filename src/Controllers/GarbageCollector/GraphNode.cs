using MiniKube.Api.Meta;

namespace MiniKube.Controllers.GarbageCollector;

/// <summary>
/// One object in the garbage collector's dependency graph (k8s' garbagecollector node), keyed by uid. A virtual
/// node stands for an owner that some dependent names but that no informer has shown (yet). Only the graph
/// builder changes nodes, under the graph's lock; workers read copies taken under that lock.
/// </summary>
public sealed class GraphNode(string uid)
{
    public string Uid { get; } = uid;

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public string? Namespace { get; set; }

    public string Name { get; set; } = "";

    /// <summary>False for a virtual node.</summary>
    public bool Observed { get; set; }

    /// <summary>The object has a deletionTimestamp.</summary>
    public bool BeingDeleted { get; set; }

    /// <summary>Being deleted in the foreground: it waits (foregroundDeletion finalizer) for its blocking dependents to go.</summary>
    public bool DeletingDependents { get; set; }

    public List<OwnerReference> Owners { get; set; } = [];

    public HashSet<GraphNode> Dependents { get; } = [];

    public override string ToString() => $"[{ApiVersion}/{Kind}, namespace: {Namespace}, name: {Name}, uid: {Uid}]";
}
