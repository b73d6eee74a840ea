using Etcdserverpb;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>The etcd v3 RPCs this project calls, as gRPC method descriptors (etcdserverpb/rpc.proto).</summary>
public static class EtcdMethods
{
    public const string KvService = "etcdserverpb.KV";
    public const string WatchService = "etcdserverpb.Watch";
    public const string LeaseService = "etcdserverpb.Lease";
    public const string ClusterService = "etcdserverpb.Cluster";
    public const string MaintenanceService = "etcdserverpb.Maintenance";

    public static readonly Method<RangeRequest, RangeResponse> Range = new(KvService, "Range", RangeResponse.Parser);
    public static readonly Method<PutRequest, PutResponse> Put = new(KvService, "Put", PutResponse.Parser);
    public static readonly Method<DeleteRangeRequest, DeleteRangeResponse> DeleteRange = new(KvService, "DeleteRange", DeleteRangeResponse.Parser);
    public static readonly Method<TxnRequest, TxnResponse> Txn = new(KvService, "Txn", TxnResponse.Parser);
    public static readonly Method<CompactionRequest, CompactionResponse> Compact = new(KvService, "Compact", CompactionResponse.Parser);

    public static readonly Method<WatchRequest, WatchResponse> Watch = new(WatchService, "Watch", WatchResponse.Parser);

    public static readonly Method<LeaseGrantRequest, LeaseGrantResponse> LeaseGrant = new(LeaseService, "LeaseGrant", LeaseGrantResponse.Parser);
    public static readonly Method<LeaseRevokeRequest, LeaseRevokeResponse> LeaseRevoke = new(LeaseService, "LeaseRevoke", LeaseRevokeResponse.Parser);
    public static readonly Method<LeaseKeepAliveRequest, LeaseKeepAliveResponse> LeaseKeepAlive = new(LeaseService, "LeaseKeepAlive", LeaseKeepAliveResponse.Parser);
    public static readonly Method<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse> LeaseTimeToLive = new(LeaseService, "LeaseTimeToLive", LeaseTimeToLiveResponse.Parser);
    public static readonly Method<LeaseLeasesRequest, LeaseLeasesResponse> LeaseLeases = new(LeaseService, "LeaseLeases", LeaseLeasesResponse.Parser);

    public static readonly Method<MemberListRequest, MemberListResponse> MemberList = new(ClusterService, "MemberList", MemberListResponse.Parser);
    public static readonly Method<MemberAddRequest, MemberAddResponse> MemberAdd = new(ClusterService, "MemberAdd", MemberAddResponse.Parser);
    public static readonly Method<MemberRemoveRequest, MemberRemoveResponse> MemberRemove = new(ClusterService, "MemberRemove", MemberRemoveResponse.Parser);
    public static readonly Method<MemberPromoteRequest, MemberPromoteResponse> MemberPromote = new(ClusterService, "MemberPromote", MemberPromoteResponse.Parser);
    public static readonly Method<MemberUpdateRequest, MemberUpdateResponse> MemberUpdate = new(ClusterService, "MemberUpdate", MemberUpdateResponse.Parser);

    public static readonly Method<StatusRequest, StatusResponse> Status = new(MaintenanceService, "Status", StatusResponse.Parser);
    public static readonly Method<HashKVRequest, HashKVResponse> HashKV = new(MaintenanceService, "HashKV", HashKVResponse.Parser);
    public static readonly Method<SnapshotRequest, SnapshotResponse> Snapshot = new(MaintenanceService, "Snapshot", SnapshotResponse.Parser);
    public static readonly Method<DefragmentRequest, DefragmentResponse> Defragment = new(MaintenanceService, "Defragment", DefragmentResponse.Parser);
    public static readonly Method<AlarmRequest, AlarmResponse> Alarm = new(MaintenanceService, "Alarm", AlarmResponse.Parser);
    public static readonly Method<MoveLeaderRequest, MoveLeaderResponse> MoveLeader = new(MaintenanceService, "MoveLeader", MoveLeaderResponse.Parser);
}
