namespace MiniKube.Cli.Kube;

/// <summary>A usage error of a kubectl-style verb, printed as <c>error: …</c>.</summary>
public sealed class KubeCommandException : Exception
{
    public KubeCommandException()
    {
    }

    public KubeCommandException(string message)
        : base(message)
    {
    }

    public KubeCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
