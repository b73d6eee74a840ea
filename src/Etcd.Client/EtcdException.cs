using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>
/// A call to etcd failed: an error etcd answered with (its gRPC status code and message, e.g.
/// InvalidArgument "etcdserver: key is not provided"), an expired deadline, or no reachable
/// endpoint. The <c>Is…</c> properties recognise etcd's well-known errors.
/// </summary>
public class EtcdException : Exception
{
    public EtcdException(StatusCode statusCode, string detail, Uri? endpoint = null, Exception? innerException = null)
        : base(Describe(statusCode, detail, endpoint), innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
        Endpoint = endpoint;
    }

    /// <summary>The gRPC status code of the failed call.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The server's message (grpc-message) verbatim, or the client's account of a transport failure.</summary>
    public string Detail { get; }

    /// <summary>The endpoint the failed attempt went to, when there was one.</summary>
    public Uri? Endpoint { get; }

    public bool IsCompacted => Is(StatusCode.OutOfRange, EtcdErrors.Compacted);

    public bool IsFutureRevision => Is(StatusCode.OutOfRange, EtcdErrors.FutureRevision);

    public bool IsLeaseNotFound => Is(StatusCode.NotFound, EtcdErrors.LeaseNotFound);

    public bool IsLeaseExists => Is(StatusCode.FailedPrecondition, EtcdErrors.LeaseExists);

    public bool IsRequestTooLarge => Is(StatusCode.InvalidArgument, EtcdErrors.RequestTooLarge);

    public bool IsKeyNotFound => Is(StatusCode.InvalidArgument, EtcdErrors.KeyNotFound);

    public bool IsEmptyKey => Is(StatusCode.InvalidArgument, EtcdErrors.EmptyKey);

    public bool IsTooManyOps => Is(StatusCode.InvalidArgument, EtcdErrors.TooManyOps);

    public bool IsDuplicateKey => Is(StatusCode.InvalidArgument, EtcdErrors.DuplicateKey);

    public bool IsNoSpace => Is(StatusCode.ResourceExhausted, EtcdErrors.NoSpace);

    public bool IsDeadlineExceeded => StatusCode == StatusCode.DeadlineExceeded;

    /// <summary>No endpoint answered, or the member could not serve (no leader, stopped, timed out).</summary>
    public bool IsUnavailable => StatusCode == StatusCode.Unavailable;

    /// <summary>An etcd error from a gRPC failure: compaction as <see cref="EtcdCompactedException"/>.</summary>
    public static EtcdException FromRpc(RpcException error, Uri? endpoint)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StatusCode == StatusCode.OutOfRange && error.Status.Detail == EtcdErrors.Compacted
            ? new EtcdCompactedException(0, error)
            : new EtcdException(error.StatusCode, error.Status.Detail, endpoint, error);
    }

    private bool Is(StatusCode code, string detail) => StatusCode == code && Detail == detail;

    // etcd's errors already read "etcdserver: …"; a transport failure also names the endpoint.
    private static string Describe(StatusCode code, string detail, Uri? endpoint)
        => endpoint is not null && code == StatusCode.Unavailable && !detail.StartsWith("etcdserver:", StringComparison.Ordinal)
            ? $"etcdclient: endpoint {Format(endpoint)} unavailable: {detail}"
            : detail;

    internal static string Format(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);
}
