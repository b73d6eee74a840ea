namespace MiniKube.ApiServer.Storage;

/// <summary>
/// How fresh a read must be, as the resourceVersion query parameter says: "" (unset) reads the
/// latest state through a quorum read; "0" accepts any state (served from the watch cache);
/// a revision N asks for a state not older than N.
/// </summary>
public sealed record ReadOptions(string? ResourceVersion = null)
{
    public static readonly ReadOptions Latest = new();
}
