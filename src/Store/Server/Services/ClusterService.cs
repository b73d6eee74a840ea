using Etcdserverpb;
using MiniKube.Grpc;

namespace MiniKube.Store.Server.Services;

/// <summary>etcdserverpb.Cluster. A single member lists itself; membership changes come with replication.</summary>
public sealed class ClusterService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.Cluster";

    public void Register(GrpcServiceRegistry registry) =>
        registry.AddUnary<MemberListRequest, MemberListResponse>(ServiceName, "MemberList", MemberListRequest.Parser, MemberListAsync);

    private Task<MemberListResponse> MemberListAsync(MemberListRequest request, ServerCallContext context)
    {
        var identity = server.Identity;
        var member = new Member { ID = identity.MemberId, Name = identity.Name };
        member.PeerURLs.AddRange(identity.PeerUrls.Select(Format));
        member.ClientURLs.AddRange(identity.ClientUrls.Select(Format));
        // etcd's cluster service fills its headers without a revision.
        var response = new MemberListResponse { Header = server.Header(0) };
        response.Members.Add(member);
        return Task.FromResult(response);
    }

    /// <summary>URLs as given on the command line, without the trailing slash Uri adds.</summary>
    public static string Format(Uri url) => url.OriginalString.TrimEnd('/');
}
