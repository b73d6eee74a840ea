using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;

namespace MiniKube.Controllers.Common;

/// <summary>Owner references as controllers use them (apimachinery's metav1.GetControllerOf / NewControllerRef).</summary>
public static class ControllerRefs
{
    /// <summary>The owner reference with controller=true, if any.</summary>
    public static OwnerReference? GetControllerOf(ObjectMeta? metadata) =>
        metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    /// <summary>A controller reference to <paramref name="owner"/> that blocks its foreground deletion, as controllers set it on what they create.</summary>
    public static OwnerReference NewControllerRef(IKubernetesObject owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Metadata?.Name,
        Uid = owner.Metadata?.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>A deep copy through JSON: objects from an informer's cache are shared and must never be changed in place.</summary>
    public static T DeepCopy<T>(T obj)
        where T : class =>
        ApiJson.Deserialize<T>(ApiJson.Serialize(obj));

    public static bool HasFinalizer(ObjectMeta? metadata, string finalizer) =>
        metadata?.Finalizers?.Contains(finalizer) == true;
}
