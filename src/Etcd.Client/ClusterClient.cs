using Etcdserverpb;
using MiniKube.Etcd.Client.Transport;

namespace MiniKube.Etcd.Client;

/// <summary>The Cluster API.</summary>
public sealed class ClusterClient
{
    private readonly RpcInvoker _invoker;

    internal ClusterClient(RpcInvoker invoker) => _invoker = invoker;

    public Task<MemberListResponse> MemberListAsync(CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.MemberList, new MemberListRequest(), idempotent: true, timeout: null, cancellationToken);

    // Membership changes are not idempotent (a retried add adds a second member): never retried.
    public Task<MemberAddResponse> MemberAddAsync(IEnumerable<string> peerUrls, bool isLearner = false, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.MemberAdd, new MemberAddRequest { PeerURLs = { peerUrls }, IsLearner = isLearner }, idempotent: false, timeout: null, cancellationToken);

    public Task<MemberRemoveResponse> MemberRemoveAsync(ulong id, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.MemberRemove, new MemberRemoveRequest { ID = id }, idempotent: false, timeout: null, cancellationToken);

    public Task<MemberUpdateResponse> MemberUpdateAsync(ulong id, IEnumerable<string> peerUrls, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.MemberUpdate, new MemberUpdateRequest { ID = id, PeerURLs = { peerUrls } }, idempotent: false, timeout: null, cancellationToken);

    public Task<MemberPromoteResponse> MemberPromoteAsync(ulong id, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.MemberPromote, new MemberPromoteRequest { ID = id }, idempotent: false, timeout: null, cancellationToken);
}
