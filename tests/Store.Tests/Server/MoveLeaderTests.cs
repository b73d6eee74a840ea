using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Internal;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Server;

/// <summary>Leadership handed from one member to another (etcd's MoveLeader, Raft's leader transfer).</summary>
public sealed class MoveLeaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_leader_hands_leadership_to_a_caught_up_follower_which_then_takes_writes()
    {
        await using var cluster = new StoreCluster(3);
        var (leader, transferee) = (cluster.Members[0], cluster.Members[1]);
        await cluster.ElectAsync(leader);
        var before = await leader.WriteAsync<PutResponse>(new InternalRequest { Put = new PutRequest { Key = B("k"), Value = B("before") } }, default);
        var term = leader.Raft.Term;

        var move = leader.MoveLeaderAsync(transferee.Raft.Id, default);
        await cluster.WaitForLeaderAsync(transferee);
        while (!move.IsCompleted)
        {
            await cluster.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        }

        await move.WaitAsync(Wait);
        Assert.True(transferee.Raft.Term > term, $"term {transferee.Raft.Term}: {cluster.Describe()}");
        var after = await cluster.Members[2].WriteAsync<PutResponse>(new InternalRequest { Put = new PutRequest { Key = B("k"), Value = B("after") } }, default).WaitAsync(Wait);
        Assert.True(after.Header.Revision > before.Header.Revision);
    }

    [Fact]
    public async Task Moving_leadership_to_an_unknown_member_fails_with_bad_leader_transferee()
    {
        await using var cluster = new StoreCluster(3);
        await cluster.ElectAsync(cluster.Members[0]);

        var error = await Assert.ThrowsAsync<RpcException>(() => cluster.Members[0].MoveLeaderAsync(12345, default));

        Assert.Equal((StatusCode.FailedPrecondition, "etcdserver: bad leader transferee"), (error.StatusCode, error.Status.Detail));
        Assert.True(cluster.Members[0].Raft.IsLeader);
    }
}
