namespace MiniKube.NodeAgent.Runtime;

/// <summary>A container that could not be started (its executable is missing, say); the pod reports StartError with exit code 128.</summary>
public sealed class ContainerStartException : Exception
{
    public ContainerStartException()
    {
    }

    public ContainerStartException(string message)
        : base(message)
    {
    }

    public ContainerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
