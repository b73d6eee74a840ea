using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Internal;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Server;

/// <summary>The store server as a Raft member: headers, read barriers, leases and quorum loss.</summary>
public sealed class StoreServerRaftTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Task<PutResponse> PutAsync(Store.Server.StoreServer server, string key, string value, long lease = 0) =>
        server.WriteAsync<PutResponse>(new InternalRequest { Put = new PutRequest { Key = B(key), Value = B(value), Lease = lease } }, default);

    private static RangeResponse Get(Store.Server.StoreServer server, string key) =>
        server.Applier.Range(new RangeRequest { Key = B(key), Serializable = true });

    [Fact]
    public async Task A_single_member_is_its_own_leader_in_a_term_past_the_bootstrap_and_says_so_in_headers()
    {
        await using var store = new StoreHarness();
        var put = await store.PutAsync("k", "v");
        var header = store.Server.Fill(put.Header);

        Assert.True(store.Server.Raft.IsLeader);
        Assert.True(store.Server.Raft.Term >= 2, $"term {store.Server.Raft.Term}: the campaign after bootstrap (term 1) did not happen");
        Assert.Equal((store.Server.Raft.Term, store.Server.Identity.MemberId), (header.RaftTerm, header.MemberId));
        Assert.Equal((long)store.Server.Raft.AppliedIndex, store.Server.Mvcc.AppliedIndex);
    }

    [Fact]
    public async Task A_linearizable_read_on_a_follower_sees_every_write_the_leader_acknowledged()
    {
        await using var cluster = new StoreCluster(3);
        var (leader, follower) = (cluster.Members[0], cluster.Members[2]);
        await cluster.ElectAsync(leader);

        for (var i = 0; i < 20; i++)
        {
            var put = await PutAsync(leader, "k", $"v{i}");
            await follower.LinearizableReadAsync(default).WaitAsync(Wait);
            var got = Get(follower, "k").Kvs.Single();
            Assert.Equal(($"v{i}", put.Header.Revision), (got.Value.ToStringUtf8(), got.ModRevision));
        }
    }

    [Fact]
    public async Task A_write_proposed_on_a_follower_is_applied_everywhere_and_answered_on_the_follower()
    {
        await using var cluster = new StoreCluster(3);
        await cluster.ElectAsync(cluster.Members[1]);

        var put = await PutAsync(cluster.Members[0], "from-follower", "x").WaitAsync(Wait);

        foreach (var member in cluster.Members)
        {
            await member.LinearizableReadAsync(default).WaitAsync(Wait);
            Assert.Equal(put.Header.Revision, Get(member, "from-follower").Kvs.Single().ModRevision);
        }
    }

    [Fact]
    public async Task Without_a_quorum_writes_time_out_then_find_no_leader_while_serializable_reads_answer()
    {
        await using var cluster = new StoreCluster(3);
        var leader = cluster.Members[0];
        await cluster.ElectAsync(leader);
        await PutAsync(leader, "k", "before");
        cluster.Network.Cut(cluster.Members[1].Raft.Id);
        cluster.Network.Cut(cluster.Members[2].Raft.Id);

        var write = PutAsync(leader, "k", "after");
        await cluster.AdvanceAsync(leader.RequestTimeout + TimeSpan.FromSeconds(1));
        var timedOut = await Assert.ThrowsAsync<RpcException>(() => write.WaitAsync(Wait));
        Assert.Equal((StatusCode.Unavailable, "etcdserver: request timed out"), (timedOut.StatusCode, timedOut.Status.Detail));
        // Check-quorum: a leader that heard from no quorum for an election timeout stepped down.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (leader.Raft.Leader != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the leader cut off from its quorum did not step down: {cluster.Describe()}");
            await Task.Delay(5);
        }

        var next = PutAsync(leader, "k", "later");
        var read = leader.LinearizableReadAsync(default);
        await cluster.AdvanceAsync(leader.RequestTimeout + TimeSpan.FromSeconds(1));
        var noLeader = await Assert.ThrowsAsync<RpcException>(() => next.WaitAsync(Wait));
        Assert.Equal((StatusCode.Unavailable, "etcdserver: no leader"), (noLeader.StatusCode, noLeader.Status.Detail));
        await Assert.ThrowsAsync<RpcException>(() => read.WaitAsync(Wait));
        Assert.Equal("before", Get(leader, "k").Kvs.Single().Value.ToStringUtf8());
    }

    [Fact]
    public async Task A_new_leader_gives_every_lease_its_ttl_again_so_it_outlives_its_expiry_on_the_old_leader_and_then_revokes_it()
    {
        await using var cluster = new StoreCluster(3);
        var first = cluster.Members[0];
        await cluster.ElectAsync(first);
        await first.WriteAsync<LeaseGrantResponse>(new InternalRequest { LeaseGrant = new LeaseGrantRequest { ID = 7, TTL = 10 } }, default);
        await PutAsync(first, "leased", "x", lease: 7);
        foreach (var member in cluster.Members)
        {
            await member.LinearizableReadAsync(default).WaitAsync(Wait);
        }

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(8));
        cluster.Network.Cut(first.Raft.Id);
        var others = cluster.Members.Skip(1).ToList();
        var elapsed = TimeSpan.FromSeconds(8);
        while (others.All(m => !m.Raft.IsLeader))
        {
            Assert.True(elapsed < TimeSpan.FromSeconds(30), $"no new leader: {cluster.Describe()}");
            await cluster.AdvanceAsync(TimeSpan.FromMilliseconds(100));
            elapsed += TimeSpan.FromMilliseconds(100);
        }

        var leader = others.Single(m => m.Raft.IsLeader);
        // Past the lease's expiry as granted (10 s): the new leader promoted it to a full TTL
        // plus an election timeout when it took over, so it lives on.
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(15) - elapsed);
        var read = leader.LinearizableReadAsync(default);
        await Task.WhenAny(read, Task.Delay(Wait));
        Assert.True(read.IsCompletedSuccessfully, $"read {read.Status} {read.Exception}: {cluster.Describe()}");
        Assert.Single(Get(leader, "leased").Kvs);
        // At most the TTL plus the election timeout the promotion adds (a leadership change just
        // before the read, likely on a loaded machine, promotes it once more).
        Assert.InRange(leader.Lessor.TimeToLive(7, withKeys: false)!.Value.Remaining, 1, 11);

        // Unrenewed, it expires on the new leader in turn, and the revocation reaches every member still connected.
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(12));
        foreach (var member in others)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Get(member, "leased").Kvs.Count > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the expired lease was not revoked: {cluster.Describe()}");
                await cluster.AdvanceAsync(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
