using MiniKube.Grpc;

namespace MiniKube.Store.Server.Membership;

/// <summary>etcd 3.4's membership errors as its gRPC layer answers them (api/v3rpc/rpctypes/error.go), word for word.</summary>
public static class MembershipErrors
{
    public static RpcException MemberExists => new(StatusCode.FailedPrecondition, "etcdserver: member ID already exist");

    public static RpcException PeerUrlExists => new(StatusCode.FailedPrecondition, "etcdserver: Peer URLs already exists");

    public static RpcException NotEnoughStartedMembers => new(StatusCode.FailedPrecondition, "etcdserver: re-configuration failed due to not enough started members");

    public static RpcException BadUrls => new(StatusCode.InvalidArgument, "etcdserver: given member URLs are invalid");

    public static RpcException MemberNotFound => new(StatusCode.NotFound, "etcdserver: member not found");

    public static RpcException MemberNotLearner => new(StatusCode.FailedPrecondition, "etcdserver: can only promote a learner member");

    public static RpcException LearnerNotReady => new(StatusCode.FailedPrecondition, "etcdserver: can only promote a learner member which is in sync with leader");

    public static RpcException TooManyLearners => new(StatusCode.FailedPrecondition, "etcdserver: too many learner members in cluster");

    public static RpcException Unhealthy => new(StatusCode.Unavailable, "etcdserver: unhealthy cluster");

    /// <summary>etcd's ErrIDRemoved (a member removed before; IDs are never reused), which its gRPC layer answers as not found.</summary>
    public static RpcException IdRemoved => MemberNotFound;

    /// <summary>What a removed member logs as it stops, and what peers answer it with (HTTP 410).</summary>
    public const string RemovedMessage = "the member has been permanently removed from the cluster";
}
