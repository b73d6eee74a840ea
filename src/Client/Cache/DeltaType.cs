namespace MiniKube.Client.Cache;

/// <summary>What happened to one object in the cache.</summary>
public enum DeltaType
{
    Added,
    Updated,
    Deleted,

    /// <summary>A periodic resync: the object did not change, handlers get it again to re-check it.</summary>
    Sync,
}
