namespace MiniKube.Store.Server;

/// <summary>
/// A member could not start for a reason its operator can fix (a port in use, a data directory
/// held by another member or unreadable, a listen URL it cannot serve): reported as one line,
/// as etcd reports it, without a stack trace.
/// </summary>
public sealed class StoreStartException : Exception
{
    public StoreStartException()
    {
    }

    public StoreStartException(string message)
        : base(message)
    {
    }

    public StoreStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
