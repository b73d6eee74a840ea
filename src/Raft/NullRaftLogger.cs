namespace MiniKube.Raft;

/// <summary>Discards everything: the default, so the core needs no logging package.</summary>
public sealed class NullRaftLogger : IRaftLogger
{
    public static NullRaftLogger Instance { get; } = new();

    public void Debug(string message)
    {
    }

    public void Info(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
