namespace MiniKube.Etcd.Client.Tests;

/// <summary>Leases: grant, inspect, keep alive, expire, revoke.</summary>
public abstract partial class EtcdClientContractTests<TFixture>
{
    [Fact]
    public async Task A_kept_alive_lease_outlives_its_TTL_and_expires_once_the_keep_alive_stops()
    {
        await using var client = NewClient();
        var key = NewPrefix("lease") + "event";
        var lease = await client.Lease.GrantAsync(1);
        Assert.Equal(2, lease.TTL); // raised to the minimum: 1.5 election timeouts, rounded up
        await client.PutAsync(key, "expires", new PutOptions { Lease = lease.ID });
        var watcher = client.Watch(key, new WatchOptions { NoPut = true });
        await watcher.Created;

        var keepAlive = await client.Lease.KeepAliveAsync(lease.ID);
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.Single((await client.GetAsync(key)).Kvs);
        Assert.False(keepAlive.Completion.IsCompleted);
        Assert.Equal(2, keepAlive.Ttl);
        var ttl = await client.Lease.TimeToLiveAsync(lease.ID, keys: true);
        Assert.Equal((2L, key), (ttl.GrantedTTL, ttl.Keys.Single().ToStringUtf8()));

        await keepAlive.DisposeAsync();
        await keepAlive.Completion;
        var expiry = await CollectAsync(watcher, e => e.Count > 0, TimeSpan.FromSeconds(8));
        Assert.Equal(Mvccpb.Event.Types.EventType.Delete, Assert.Single(expiry).Type);
        Assert.Empty((await client.GetAsync(key)).Kvs);
        Assert.Equal(-1, (await client.Lease.TimeToLiveAsync(lease.ID)).TTL);
    }

    [Fact]
    public async Task A_keep_alive_reports_the_loss_of_a_revoked_lease_and_refuses_an_unknown_one()
    {
        await using var client = NewClient();
        var key = NewPrefix("revoke") + "k";
        var lease = await client.Lease.GrantAsync(3);
        await client.PutAsync(key, "v", new PutOptions { Lease = lease.ID });
        await using var keepAlive = await client.Lease.KeepAliveAsync(lease.ID);
        var once = await client.Lease.KeepAliveOnceAsync(lease.ID);
        Assert.Contains(lease.ID, (await client.Lease.LeasesAsync()).Leases.Select(l => l.ID));

        await client.Lease.RevokeAsync(lease.ID);

        Assert.Equal(3, once.TTL);
        Assert.Empty((await client.GetAsync(key)).Kvs);
        var lost = await Assert.ThrowsAsync<EtcdLeaseExpiredException>(() => keepAlive.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(lease.ID, lost.LeaseId);
        var unknown = await Assert.ThrowsAsync<EtcdLeaseExpiredException>(() => client.Lease.KeepAliveAsync(lease.ID));
        Assert.True(unknown.IsLeaseNotFound);
        var revokeAgain = await Assert.ThrowsAsync<EtcdException>(() => client.Lease.RevokeAsync(lease.ID));
        Assert.True(revokeAgain.IsLeaseNotFound);
        await Assert.ThrowsAsync<EtcdLeaseExpiredException>(() => client.Lease.KeepAliveOnceAsync(lease.ID));
    }
}
