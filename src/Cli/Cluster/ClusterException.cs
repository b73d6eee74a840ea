namespace MiniKube.Cli.Cluster;

/// <summary>The local cluster cannot be started, found or stopped; the message says what to do.</summary>
public sealed class ClusterException : Exception
{
    public ClusterException()
    {
    }

    public ClusterException(string message)
        : base(message)
    {
    }

    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
