using Etcdserverpb;
using MiniKube.Grpc;

namespace MiniKube.Store.Server.Services;

/// <summary>
/// etcdserverpb.Cluster. The members are the initial cluster's (membership changes through Raft
/// are not built yet); only this member's client URLs are known here, as before a peer's publish.
/// </summary>
public sealed class ClusterService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.Cluster";

    public void Register(GrpcServiceRegistry registry) =>
        registry.AddUnary<MemberListRequest, MemberListResponse>(ServiceName, "MemberList", MemberListRequest.Parser, MemberListAsync);

    private Task<MemberListResponse> MemberListAsync(MemberListRequest request, ServerCallContext context)
    {
        var identity = server.Identity;
        // etcd's cluster service fills its headers without a revision.
        var response = new MemberListResponse { Header = server.Header(0) };
        response.Members.Add(new Member { ID = identity.MemberId, Name = identity.Name, PeerURLs = { identity.PeerUrls.Select(Format) }, ClientURLs = { identity.ClientUrls.Select(Format) } });
        response.Members.AddRange(server.InitialMembers
            .Where(m => m.Id != identity.MemberId)
            .Select(m => new Member { ID = m.Id, Name = m.Name, PeerURLs = { m.PeerUrls.Select(Format) } }));
        // etcd lists members ordered by ID.
        var ordered = response.Members.OrderBy(m => m.ID).ToList();
        response.Members.Clear();
        response.Members.AddRange(ordered);

        return Task.FromResult(response);
    }

    /// <summary>URLs as given on the command line, without the trailing slash Uri adds.</summary>
    public static string Format(Uri url) => url.OriginalString.TrimEnd('/');
}
