using System.Text.Json.Nodes;
using MiniKube.Api.Core;

namespace MiniKube.ApiServer.Registry.Strategies;

/// <summary>Namespaces: created Active with the "kubernetes" finalizer that the namespace cleaner removes once the namespace is empty.</summary>
public sealed class NamespaceStrategy : TypedStrategy
{
    public NamespaceStrategy()
        : base(typeof(Namespace))
    {
        HasStatus = true;
    }

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
        obj["status"] = new JsonObject { ["phase"] = "Active" };
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        base.PrepareForUpdate(obj, old);
        // spec.finalizers change only through the finalize subresource.
        CopyField(old, obj, "spec");
    }
}
