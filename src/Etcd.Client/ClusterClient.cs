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
}
