namespace MiniKube.ApiServer.Registry;

/// <summary>Which part of an object an update writes: the object itself, or only its status.</summary>
public enum UpdateKind
{
    Main,
    Status,
}
