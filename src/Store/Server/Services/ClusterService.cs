using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Server.Membership;

namespace MiniKube.Store.Server.Services;

/// <summary>
/// etcdserverpb.Cluster over the replicated <see cref="MemberRegistry"/>: MemberList answers from
/// this member's registry (every member's client URLs once published), the changes go through
/// <see cref="ClusterReconfiguration"/> and answer once applied here, with the members after them.
/// </summary>
public sealed class ClusterService(StoreServer server, ClusterReconfiguration reconfiguration)
{
    public const string ServiceName = "etcdserverpb.Cluster";

    public void Register(StoreServiceRegistry registry)
    {
        registry.AddUnary<MemberListRequest, MemberListResponse>(ServiceName, "MemberList", MemberListRequest.Parser, MemberListAsync);
        registry.AddUnary<MemberAddRequest, MemberAddResponse>(ServiceName, "MemberAdd", MemberAddRequest.Parser, MemberAddAsync);
        registry.AddUnary<MemberRemoveRequest, MemberRemoveResponse>(ServiceName, "MemberRemove", MemberRemoveRequest.Parser, MemberRemoveAsync);
        registry.AddUnary<MemberUpdateRequest, MemberUpdateResponse>(ServiceName, "MemberUpdate", MemberUpdateRequest.Parser, MemberUpdateAsync);
        registry.AddUnary<MemberPromoteRequest, MemberPromoteResponse>(ServiceName, "MemberPromote", MemberPromoteRequest.Parser, MemberPromoteAsync);
    }

    /// <summary>URLs as given on the command line, without the trailing slash Uri adds.</summary>
    public static string Format(Uri url) => url.OriginalString.TrimEnd('/');

    private Task<MemberListResponse> MemberListAsync(MemberListRequest request, ServerCallContext context)
    {
        // etcd's cluster service fills its headers without a revision.
        var response = new MemberListResponse { Header = server.Header(0) };
        response.Members.AddRange(Members());
        return Task.FromResult(response);
    }

    private async Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, ServerCallContext context)
    {
        var added = await reconfiguration.AddAsync([.. request.PeerURLs], request.IsLearner, context.CancellationToken).ConfigureAwait(false);
        var response = new MemberAddResponse { Header = server.Header(0), Member = added.ToProto() };
        response.Members.AddRange(Members());
        return response;
    }

    private async Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, ServerCallContext context)
    {
        await reconfiguration.RemoveAsync(request.ID, context.CancellationToken).ConfigureAwait(false);
        var response = new MemberRemoveResponse { Header = server.Header(0) };
        response.Members.AddRange(Members());
        return response;
    }

    private async Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, ServerCallContext context)
    {
        await reconfiguration.UpdateAsync(request.ID, [.. request.PeerURLs], context.CancellationToken).ConfigureAwait(false);
        var response = new MemberUpdateResponse { Header = server.Header(0) };
        response.Members.AddRange(Members());
        return response;
    }

    private async Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, ServerCallContext context)
    {
        await reconfiguration.PromoteAsync(request.ID, context.CancellationToken).ConfigureAwait(false);
        // A promotion forwarded to the leader may not have applied here yet.
        await server.Raft.WaitAppliedAsync(server.Raft.CommitIndex, context.CancellationToken).ConfigureAwait(false);
        var response = new MemberPromoteResponse { Header = server.Header(0) };
        response.Members.AddRange(Members());
        return response;
    }

    private IEnumerable<Member> Members() => server.Members.Members.Select(m => m.ToProto());
}
