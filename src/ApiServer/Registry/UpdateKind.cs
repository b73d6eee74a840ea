namespace MiniKube.ApiServer.Registry;

/// <summary>Which part of an object an update writes: the object itself, only its status, or what the server itself changes.</summary>
public enum UpdateKind
{
    Main,
    Status,

    /// <summary>A write by the server itself (bindings, scale): no resourceVersion check and no strategy reset.</summary>
    Internal,
}
