namespace MiniKube.Raft;

/// <summary>Where the core writes what it does; the host adapts it to its logging of choice.</summary>
public interface IRaftLogger
{
    void Debug(string message);

    void Info(string message);

    void Warning(string message);
}
