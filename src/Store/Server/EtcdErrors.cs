using MiniKube.Grpc;
using MiniKube.Store.Lease;
using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Server;

/// <summary>
/// The errors the store answers with: etcd's gRPC status codes and messages, word for word
/// (etcdserver/api/v3rpc/rpctypes/error.go), because clients match on them.
/// </summary>
public static class EtcdErrors
{
    public static RpcException EmptyKey => new(StatusCode.InvalidArgument, "etcdserver: key is not provided");

    public static RpcException KeyNotFound => new(StatusCode.InvalidArgument, "etcdserver: key not found");

    public static RpcException ValueProvided => new(StatusCode.InvalidArgument, "etcdserver: value is provided");

    public static RpcException LeaseProvided => new(StatusCode.InvalidArgument, "etcdserver: lease is provided");

    public static RpcException TooManyOps => new(StatusCode.InvalidArgument, "etcdserver: too many operations in txn request");

    public static RpcException DuplicateKey => new(StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request");

    public static RpcException Compacted => new(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");

    public static RpcException FutureRevision => new(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");

    public static RpcException NoSpace => new(StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded");

    public static RpcException LeaseNotFound => new(StatusCode.NotFound, "etcdserver: requested lease not found");

    public static RpcException LeaseExists => new(StatusCode.FailedPrecondition, "etcdserver: lease already exists");

    public static RpcException LeaseTtlTooLarge => new(StatusCode.OutOfRange, "etcdserver: too large lease TTL");

    public static RpcException RequestTooLarge => new(StatusCode.InvalidArgument, "etcdserver: request is too large");

    public static RpcException Stopped => new(StatusCode.Unavailable, "etcdserver: server stopped");

    public static RpcException NoLeader => new(StatusCode.Unavailable, "etcdserver: no leader");

    public static RpcException Timeout => new(StatusCode.Unavailable, "etcdserver: request timed out");

    public static RpcException NotLeader => new(StatusCode.FailedPrecondition, "etcdserver: not leader");

    public static RpcException BadLeaderTransferee => new(StatusCode.FailedPrecondition, "etcdserver: bad leader transferee");

    public static RpcException TimeoutLeaderTransfer => new(StatusCode.Unavailable, "etcdserver: request timed out, leader transfer took too long");

    public static RpcException MemberNotFound => new(StatusCode.NotFound, "etcdserver: member not found");

    /// <summary>Maps the store's own exceptions to etcd's statuses; anything else passes through.</summary>
    public static Exception ToRpc(Exception error) => error switch
    {
        MvccException { Error: MvccError.Compacted } => Compacted,
        MvccException { Error: MvccError.FutureRevision } => FutureRevision,
        LeaseException { Error: LeaseError.NotFound } => LeaseNotFound,
        LeaseException { Error: LeaseError.AlreadyExists } => LeaseExists,
        LeaseException { Error: LeaseError.TtlTooLarge } => LeaseTtlTooLarge,
        _ => error,
    };
}
