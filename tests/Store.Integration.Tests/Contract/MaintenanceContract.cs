using System.Runtime.CompilerServices;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>The shapes of Status, HashKV and MemberList, which etcdctl and operators read.</summary>
public abstract class MaintenanceContract(ServerFixture server)
{
    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("maintenance/" + test);

    [Fact]
    public async Task Status_names_an_etcd_3_4_leader_its_database_and_raft_position()
    {
        var before = await Api.StatusAsync();
        await Api.PutAsync(Prefix() + "k", "v");

        var status = await Api.StatusAsync();

        Assert.StartsWith("3.4.", status.Version, StringComparison.Ordinal);
        Assert.Equal(status.Header.MemberId, status.Leader);
        Assert.NotEqual(0UL, status.Leader);
        Assert.True(status.DbSize > 0);
        Assert.InRange(status.DbSizeInUse, 1, status.DbSize);
        Assert.True(status.RaftTerm >= 1);
        Assert.Equal(status.Header.RaftTerm, status.RaftTerm);
        Assert.True(status.RaftIndex > before.RaftIndex);
        Assert.True(status.RaftAppliedIndex >= before.RaftIndex);
        Assert.False(status.IsLearner);
        Assert.Empty(status.Errors);
        Assert.Equal(await Api.RevisionAsync(), status.Header.Revision);
    }

    [Fact]
    public async Task HashKV_is_stable_without_writes_changes_with_them_and_is_stable_for_a_past_revision()
    {
        var p = Prefix();
        var revision = (await Api.PutAsync(p + "k", "v1")).Header.Revision;

        var first = await Api.HashKVAsync();
        var again = await Api.HashKVAsync();
        var atRevision = await Api.HashKVAsync(revision);
        await Api.PutAsync(p + "k", "v2");
        var changed = await Api.HashKVAsync();
        var stillAtRevision = await Api.HashKVAsync(revision);

        Assert.NotEqual(0u, first.Hash);
        Assert.Equal(first.Hash, again.Hash);
        Assert.Equal(first.Hash, atRevision.Hash);
        Assert.NotEqual(first.Hash, changed.Hash);
        Assert.Equal(atRevision.Hash, stillAtRevision.Hash);
        Assert.Equal(revision + 1, stillAtRevision.Header.Revision); // the current revision, not the one hashed
        Assert.Equal(-1, first.CompactRevision); // nothing was compacted on this server
    }

    [Fact]
    public async Task HashKV_at_a_future_revision_is_OutOfRange()
    {
        var current = await Api.RevisionAsync();

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision", () => Api.HashKVAsync(current + 5));
    }

    [Fact]
    public async Task MemberList_lists_this_one_member_with_its_urls()
    {
        var members = await Api.MemberListAsync();

        var member = Assert.Single(members.Members);
        Assert.Equal(members.Header.MemberId, member.ID);
        Assert.Equal("default", member.Name);
        Assert.Equal([server.Server.ClientUrl.ToString().TrimEnd('/')], member.ClientURLs);
        Assert.StartsWith("http://127.0.0.1:", Assert.Single(member.PeerURLs), StringComparison.Ordinal);
        Assert.False(member.IsLearner);
        Assert.Equal(0, members.Header.Revision); // etcd fills the cluster service's headers without a revision
    }

    [Fact]
    public async Task Every_service_answers_with_the_same_cluster_and_member()
    {
        var status = await Api.StatusAsync();
        var members = await Api.MemberListAsync();
        var hash = await Api.HashKVAsync();
        var leases = await Api.LeasesAsync();

        Assert.All(new[] { members.Header, hash.Header, leases.Header }, h => Assert.Equal((status.Header.ClusterId, status.Header.MemberId), (h.ClusterId, h.MemberId)));
    }
}

public sealed class MaintenanceContractOnMiniKube(MiniKubeFixture server) : MaintenanceContract(server), IClassFixture<MiniKubeFixture>;

public sealed class MaintenanceContractOnEtcd(EtcdFixture server) : MaintenanceContract(server), IClassFixture<EtcdFixture>;
