namespace MiniKube.Grpc;

/// <summary>
/// A call that ended with a non-OK status. Handlers throw it to choose the status they reply with;
/// clients receive it for every failure, transport failures included.
/// </summary>
public class RpcException : Exception
{
    public RpcException(Status status)
        : base(status.Detail)
    {
        Status = status;
    }

    public RpcException(StatusCode statusCode, string detail)
        : this(new Status(statusCode, detail))
    {
    }

    public RpcException(Status status, Exception? innerException)
        : base(status.Detail, innerException)
    {
        Status = status;
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;
}
