namespace MiniKube.Client.Config;

/// <summary>A kubeconfig that cannot be read or does not name a usable context.</summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException()
    {
    }

    public KubeconfigException(string message)
        : base(message)
    {
    }

    public KubeconfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
