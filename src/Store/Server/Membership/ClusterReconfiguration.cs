using System.Globalization;
using Google.Protobuf;
using MiniKube.Grpc;
using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus.Transport;

namespace MiniKube.Store.Server.Membership;

/// <summary>
/// etcd's EtcdServer.AddMember / RemoveMember / UpdateMember / PromoteMember: the checks etcd makes
/// with --strict-reconfig-check (its default) before proposing, then the conf change through Raft,
/// one at a time on this member, answered once applied here. Promotion needs the leader's view of
/// the learner's log, so a follower forwards it to the leader's peer URL (etcd 3.4's
/// <c>POST /members/promote/&lt;id&gt;</c>).
/// </summary>
public sealed class ClusterReconfiguration(StoreServer server)
{
    public const string PromotePath = "/members/promote/";

    /// <summary>The status code of a refused forwarded promotion, beside its message in the body.</summary>
    public const string StatusHeader = "X-MiniKube-Grpc-Status";

    /// <summary>etcd's readyPercent: a learner is in sync once its match index is 90% of the leader's.</summary>
    private const double ReadyPercent = 0.9;

    /// <summary>
    /// etcd's HealthInterval: a peer counts as connected for a reconfiguration only once its stream
    /// has stayed up this long, so that a member that just came back (and may go again) does not
    /// make a removal look safe.
    /// </summary>
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(5);

    private static readonly HttpClient PeerClient = PeerHttpClient.Create();

    private MemberRegistry Members => server.Members;

    public async Task<ClusterMember> AddAsync(IReadOnlyList<string> peerUrls, bool isLearner, CancellationToken cancellationToken)
    {
        var urls = CheckUrls(peerUrls);
        if (server.PeerActiveSince is null)
        {
            // A member started without peers has no peer listener: a voter added now could never
            // join, and would take the quorum with it.
            throw new RpcException(StatusCode.FailedPrecondition, "etcdserver: this member has no peer transport; start it with --initial-cluster and --listen-peer-urls to change its membership");
        }

        var member = new ClusterMember(ClusterMember.NewMemberId(urls, server.Time.GetUtcNow()), "", urls, [], isLearner);
        if (!isLearner)
        {
            if (!Members.IsReadyToAddVotingMember())
            {
                throw MembershipErrors.NotEnoughStartedMembers;
            }

            if (!VotingPeersConnected())
            {
                throw MembershipErrors.Unhealthy;
            }
        }

        var change = new ConfChange
        {
            Type = isLearner ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode,
            NodeId = member.Id,
            Context = ByteString.CopyFrom(member.ToJson()),
        };
        await ConfigureAsync(change, cancellationToken).ConfigureAwait(false);
        return member;
    }

    public async Task RemoveAsync(ulong id, CancellationToken cancellationToken)
    {
        if (Members.Find(id) is not { } member)
        {
            throw MembershipErrors.MemberNotFound;
        }

        // etcd's mayRemoveMember: a learner goes freely; a voter only if a quorum of the rest has
        // started and, unless it is down anyway (its stream is not up: it is not part of the
        // active quorum), removing it leaves a quorum of members connected for HealthInterval.
        if (!member.IsLearner)
        {
            if (!Members.IsReadyToRemoveVotingMember(id))
            {
                throw MembershipErrors.NotEnoughStartedMembers;
            }

            if (id == server.Identity.MemberId || server.IsPeerActive(id))
            {
                var voters = Members.VotingMembers.ToList();
                var active = ConnectedSince(voters, server.Time.GetUtcNow() - HealthInterval);
                if (active - 1 < 1 + ((voters.Count - 1) / 2))
                {
                    throw MembershipErrors.Unhealthy;
                }
            }
        }

        await ConfigureAsync(new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = id }, cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateAsync(ulong id, IReadOnlyList<string> peerUrls, CancellationToken cancellationToken)
    {
        var urls = CheckUrls(peerUrls);
        if (Members.Find(id) is null)
        {
            throw MembershipErrors.MemberNotFound;
        }

        var context = new ClusterMember(id, "", urls, [], IsLearner: false);
        await ConfigureAsync(new ConfChange { Type = ConfChangeType.ConfChangeUpdateNode, NodeId = id, Context = ByteString.CopyFrom(context.ToJson()) }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On the leader, promotes; on a follower, asks the leader to.</summary>
    public async Task PromoteAsync(ulong id, CancellationToken cancellationToken)
    {
        var leader = await server.WaitForLeaderIdAsync(cancellationToken).ConfigureAwait(false);
        if (leader != server.Identity.MemberId)
        {
            await ForwardPromoteAsync(leader, id, cancellationToken).ConfigureAwait(false);
            return;
        }

        // etcd's isLearnerReady, on the leader's progress; a member Raft does not track (unknown
        // to it) passes here and is refused when the change applies.
        var status = await server.Raft.StatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.Progress.TryGetValue(id, out var learner) && status.Progress.TryGetValue(status.Id, out var self)
            && learner.Match < self.Match * ReadyPercent)
        {
            throw MembershipErrors.LearnerNotReady;
        }

        if (!Members.IsReadyToPromoteMember())
        {
            throw MembershipErrors.NotEnoughStartedMembers;
        }

        var member = Members.Find(id) ?? new ClusterMember(id, "", [], [], IsLearner: true);
        var change = new ConfChange
        {
            Type = ConfChangeType.ConfChangeAddNode,
            NodeId = id,
            Context = ByteString.CopyFrom((member with { IsLearner = false }).ToJson(isPromote: true)),
        };
        await ConfigureAsync(change, cancellationToken).ConfigureAwait(false);
    }

    private async Task ConfigureAsync(ConfChange change, CancellationToken cancellationToken)
    {
        await server.ReconfigurationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await server.WaitForLeaderIdAsync(cancellationToken).ConfigureAwait(false);
            if (await server.Raft.ProposeConfChangeAsync(change, cancellationToken).ConfigureAwait(false) is Exception refused)
            {
                throw refused;
            }
        }
        finally
        {
            server.ReconfigurationLock.Release();
        }
    }

    private async Task ForwardPromoteAsync(ulong leader, ulong id, CancellationToken cancellationToken)
    {
        var urls = Members.Find(leader)?.PeerUrls ?? [];
        HttpRequestException? last = null;
        foreach (var url in urls)
        {
            try
            {
                using var response = await PeerClient.PostAsync(new Uri(new Uri(url), PromotePath + id.ToString("x", CultureInfo.InvariantCulture)), null, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                var message = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var code = response.Headers.TryGetValues(StatusHeader, out var values) && int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var parsed)
                    ? (StatusCode)parsed
                    : StatusCode.Unavailable;
                throw new RpcException(code, message.Trim());
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
        }

        throw last is null ? EtcdErrors.NoLeader : EtcdErrors.Timeout;
    }

    /// <summary>etcd's isConnectedFullySince: the stream to every other voter has been up for HealthInterval.</summary>
    private bool VotingPeersConnected()
    {
        var voters = Members.VotingMembers.ToList();
        return ConnectedSince(voters, server.Time.GetUtcNow() - HealthInterval) == voters.Count;
    }

    /// <summary>etcd's numConnectedSince: this member, and every one whose stream has been up since before <paramref name="since"/>.</summary>
    private int ConnectedSince(IEnumerable<ClusterMember> members, DateTimeOffset since) =>
        members.Count(m => m.Id == server.Identity.MemberId || server.IsPeerConnectedSince(m.Id, since));

    /// <summary>etcd's URL checks: absolute http(s) URLs with a host and a port, none twice.</summary>
    private static List<string> CheckUrls(IReadOnlyList<string> peerUrls)
    {
        var urls = new List<string>();
        foreach (var text in peerUrls)
        {
            var hostPort = text.Contains("://", StringComparison.Ordinal) ? text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') : "";
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !hostPort.Contains(':', StringComparison.Ordinal)
                || url.AbsolutePath is not ("/" or "") || urls.Contains(text.TrimEnd('/')))
            {
                throw MembershipErrors.BadUrls;
            }

            urls.Add(text.TrimEnd('/'));
        }

        return urls.Count == 0 ? throw MembershipErrors.BadUrls : urls;
    }
}
