namespace MiniKube.Client.Cache;

/// <summary>
/// The callbacks of one informer client (client-go's ResourceEventHandlerFuncs). Each handler is called from its
/// own loop, one notification at a time and in order, so a slow handler delays only itself. The objects are the
/// cache's own instances: never mutate them.
/// </summary>
public sealed class ResourceEventHandler<T>
    where T : class
{
    public Action<T>? OnAdd { get; init; }

    /// <summary>(old, new); on a resync both are the same instance.</summary>
    public Action<T, T>? OnUpdate { get; init; }

    /// <summary>The last state seen of the deleted object.</summary>
    public Action<T>? OnDelete { get; init; }
}
