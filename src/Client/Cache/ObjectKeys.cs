using MiniKube.Api.Meta;

namespace MiniKube.Client.Cache;

/// <summary>The cache keys of objects (client-go's MetaNamespaceKeyFunc): <c>namespace/name</c>, or <c>name</c> for
/// cluster-scoped kinds. Work queues carry these keys.</summary>
public static class ObjectKeys
{
    public static string KeyOf(IKubernetesObject obj) => KeyOf(obj.Metadata?.Namespace, obj.Metadata?.Name ?? "");

    public static string KeyOf(string? @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";

    /// <summary>Splits a key back into (namespace, name); the namespace is "" for cluster-scoped keys.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
