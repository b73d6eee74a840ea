using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Backend;
using MiniKube.Store.Internal;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Server;

public sealed class LeaseTests
{
    private static Task<LeaseGrantResponse> GrantAsync(StoreHarness store, long id, long ttl) =>
        store.Server.WriteAsync<LeaseGrantResponse>(new InternalRequest { LeaseGrant = new LeaseGrantRequest { ID = id, TTL = ttl } }, default);

    [Fact]
    public async Task Short_ttls_are_raised_to_the_minimum_and_ids_are_unique()
    {
        await using var store = new StoreHarness();
        Assert.Equal(2, (await GrantAsync(store, 10, 1)).TTL); // 1.5 election timeouts of 1 s, rounded up
        Assert.Equal(60, (await GrantAsync(store, 11, 60)).TTL);
        var error = await Assert.ThrowsAsync<RpcException>(() => GrantAsync(store, 10, 5));
        Assert.Equal((StatusCode.FailedPrecondition, "etcdserver: lease already exists"), (error.StatusCode, error.Status.Detail));
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => GrantAsync(store, 12, 9_000_000_001));
        Assert.Equal("etcdserver: too large lease TTL", tooLarge.Status.Detail);
    }

    [Fact]
    public async Task Revoking_deletes_the_attached_keys_at_one_revision()
    {
        await using var store = new StoreHarness();
        await GrantAsync(store, 5, 60);
        await store.PutAsync("l/b", "1", lease: 5);
        await store.PutAsync("l/a", "1", lease: 5);
        await store.PutAsync("l/c", "1");
        await store.PutAsync("l/b", "2", lease: 5); // re-put keeps it attached once
        await store.PutAsync("l/d", "1", lease: 5);
        await store.PutAsync("l/d", "2");           // re-put without the lease detaches it

        var revoke = await store.Server.WriteAsync<LeaseRevokeResponse>(new InternalRequest { LeaseRevoke = new LeaseRevokeRequest { ID = 5 } }, default);
        Assert.Equal(["l/c", "l/d"], store.Get("l/", Prefix("l/")).Kvs.Select(kv => S(kv.Key)));
        var history = MiniKube.Store.Mvcc.MvccStore.ReadHistory(store.Backend.OpenView(), revoke.Header.Revision, revoke.Header.Revision);
        Assert.Equal(["l/a", "l/b"], history.Select(e => S(e.Kv.Key))); // one revision, keys in order
        Assert.Null(store.Server.Lessor.TimeToLive(5, withKeys: false));

        var missing = await Assert.ThrowsAsync<RpcException>(() => store.PutAsync("x", "1", lease: 5));
        Assert.Equal((StatusCode.NotFound, "etcdserver: requested lease not found"), (missing.StatusCode, missing.Status.Detail));
    }

    [Fact]
    public async Task An_expired_lease_is_revoked_and_keep_alives_push_expiry()
    {
        var clock = new ManualTimeProvider();
        await using var store = new StoreHarness(time: clock);
        await GrantAsync(store, 1, 10);
        await GrantAsync(store, 2, 10);
        await store.PutAsync("one", "x", lease: 1);
        await store.PutAsync("two", "x", lease: 2);

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(10, await store.Server.Lessor.RenewAsync(2, default));
        Assert.Equal(10, store.Server.Lessor.TimeToLive(2, withKeys: false)!.Value.Remaining);
        clock.Advance(TimeSpan.FromSeconds(5)); // lease 1 is past its 10 s; lease 2 has 5 s left

        await WaitUntilAsync(() => store.Get("one").Kvs.Count == 0);
        Assert.Single(store.Get("two").Kvs);
        var ttl = store.Server.Lessor.TimeToLive(2, withKeys: true)!.Value;
        Assert.Equal((5L, 10L), (ttl.Remaining, ttl.Granted));
        Assert.Equal("two", System.Text.Encoding.UTF8.GetString(ttl.Keys.Single()));
    }

    [Fact]
    public async Task Leases_and_their_keys_survive_a_restart_with_a_fresh_ttl()
    {
        var backend = new InMemoryBackend();
        var clock = new ManualTimeProvider();
        var store = new StoreHarness(backend, clock);
        await GrantAsync(store, 9, 30);
        await store.PutAsync("leased", "x", lease: 9);
        await store.DisposeAsync();

        clock.Advance(TimeSpan.FromSeconds(25));
        await using var restarted = new StoreHarness(backend.CrashAndRecover(), clock);
        await restarted.Server.LinearizableReadAsync(default);
        var ttl = restarted.Server.Lessor.TimeToLive(9, withKeys: true)!.Value;
        // etcd's promotion: a new leader gives each lease its TTL plus an election timeout (1 s).
        Assert.Equal(31, ttl.Remaining);
        Assert.Equal("leased", System.Text.Encoding.UTF8.GetString(ttl.Keys.Single()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
