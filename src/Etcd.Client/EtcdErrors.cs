namespace MiniKube.Etcd.Client;

/// <summary>
/// etcd's error messages, word for word (api/v3rpc/rpctypes/error.go): clients recognise errors
/// by status code and message, as clientv3's rpctypes.Error does.
/// </summary>
public static class EtcdErrors
{
    public const string EmptyKey = "etcdserver: key is not provided";
    public const string KeyNotFound = "etcdserver: key not found";
    public const string ValueProvided = "etcdserver: value is provided";
    public const string LeaseProvided = "etcdserver: lease is provided";
    public const string TooManyOps = "etcdserver: too many operations in txn request";
    public const string DuplicateKey = "etcdserver: duplicate key given in txn request";
    public const string Compacted = "etcdserver: mvcc: required revision has been compacted";
    public const string FutureRevision = "etcdserver: mvcc: required revision is a future revision";
    public const string NoSpace = "etcdserver: mvcc: database space exceeded";
    public const string LeaseNotFound = "etcdserver: requested lease not found";
    public const string LeaseExists = "etcdserver: lease already exists";
    public const string LeaseTtlTooLarge = "etcdserver: too large lease TTL";
    public const string RequestTooLarge = "etcdserver: request is too large";
    public const string MemberNotFound = "etcdserver: member not found";
    public const string NoLeader = "etcdserver: no leader";
    public const string Timeout = "etcdserver: request timed out";
    public const string Stopped = "etcdserver: server stopped";

    /// <summary>grpc-go's wording for an expired deadline, which etcdctl prints.</summary>
    public const string DeadlineExceeded = "context deadline exceeded";
}
