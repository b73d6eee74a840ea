using Etcdserverpb;
using MiniKube.Store.Internal;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Server;

/// <summary>Lease renewals and TTL lookups sent to a follower reach the leader's lessor, as etcd's leasehttp.</summary>
public sealed class LeaseForwardingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Keep_alives_sent_to_a_follower_keep_the_lease_alive_on_the_leader_past_its_ttl()
    {
        await using var cluster = new StoreCluster(3);
        var (leader, follower) = (cluster.Members[0], cluster.Members[2]);
        await cluster.ElectAsync(leader);
        await leader.WriteAsync<LeaseGrantResponse>(new InternalRequest { LeaseGrant = new LeaseGrantRequest { ID = 42, TTL = 10 } }, default);
        await leader.WriteAsync<PutResponse>(new InternalRequest { Put = new PutRequest { Key = B("leased"), Value = B("x"), Lease = 42 } }, default);
        await follower.LinearizableReadAsync(default).WaitAsync(Wait);

        // 30 s of clock, renewed through the follower every 5 s: three TTLs.
        for (var i = 0; i < 6; i++)
        {
            await cluster.AdvanceAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(10, await follower.RenewLeaseAsync(42, default).WaitAsync(Wait));
            Assert.InRange(leader.Lessor.TimeToLive(42, withKeys: false)!.Value.Remaining, 9, 10);
        }

        Assert.True(cluster.LeaseForwarder.Forwarded >= 6, $"forwarded {cluster.LeaseForwarder.Forwarded}");
        Assert.Single(leader.Applier.Range(new RangeRequest { Key = B("leased"), Serializable = true }).Kvs);

        // The follower's own lessor was never renewed: TimeToLive asked of it answers with the leader's view.
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(3));
        var ttl = await follower.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = 42, Keys = true }, default).WaitAsync(Wait);
        Assert.Equal(leader.Lessor.TimeToLive(42, withKeys: false)!.Value.Remaining, ttl.TTL);
        Assert.InRange(ttl.TTL, 6, 7);
        Assert.Equal((10L, "leased"), (ttl.GrantedTTL, ttl.Keys.Single().ToStringUtf8()));
        Assert.Equal(follower.Identity.MemberId, ttl.Header.MemberId);
        var unknown = await follower.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = 43 }, default).WaitAsync(Wait);
        Assert.Equal(-1, unknown.TTL);
        await Assert.ThrowsAsync<Lease.LeaseException>(() => follower.RenewLeaseAsync(43, default).WaitAsync(Wait));

        // Unrenewed, the leader expires it and the revocation reaches the follower.
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(9));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (follower.Applier.Range(new RangeRequest { Key = B("leased"), Serializable = true }).Kvs.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the expired lease was not revoked: {cluster.Describe()}");
            await cluster.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        }
    }
}
