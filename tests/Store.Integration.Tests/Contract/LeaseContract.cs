using System.Runtime.CompilerServices;
using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;
using EventType = Mvccpb.Event.Types.EventType;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// Leases as etcd 3.4 keeps them (default election timeout, so a 2 s minimum TTL): grants,
/// revocation, keep-alives, time-to-live, the list, and expiry deleting attached keys.
/// </summary>
public abstract class LeaseContract(ServerFixture server)
{
    /// <summary>etcd's minimum TTL with the default 1 s election timeout: ceil(1.5 × 1 s).</summary>
    public const long MinTtl = 2;

    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("lease/" + test);

    /// <summary>Lease IDs the tests choose themselves, apart from each other and from random ones by their high bits.</summary>
    private static long ChosenId() => 0x3a5e_0000_0000_0000 | (Random.Shared.NextInt64() & 0xffff_ffff_ffff);

    [Theory]
    [InlineData(1, MinTtl)]
    [InlineData(2, MinTtl)]
    [InlineData(0, MinTtl)]
    [InlineData(-5, MinTtl)]
    [InlineData(60, 60)]
    public async Task A_grant_answers_a_new_id_and_the_ttl_raised_to_the_minimum(long ttl, long granted)
    {
        var before = await Api.RevisionAsync();

        var grant = await Api.GrantAsync(ttl);

        Assert.NotEqual(0, grant.ID);
        Assert.Equal(granted, grant.TTL);
        Assert.True(string.IsNullOrEmpty(grant.Error));
        Assert.Equal(before, grant.Header.Revision); // a grant takes no revision
        Assert.Equal(before, await Api.RevisionAsync());
        await Api.RevokeAsync(grant.ID);
    }

    [Fact]
    public async Task A_grant_with_a_chosen_id_uses_it_and_a_second_grant_of_that_id_is_FailedPrecondition()
    {
        var id = ChosenId();

        var grant = await Api.GrantAsync(60, id);

        Assert.Equal(id, grant.ID);
        await Expect.RpcErrorAsync(StatusCode.FailedPrecondition, "etcdserver: lease already exists", () => Api.GrantAsync(30, id));
        Assert.Equal(60, (await Api.TimeToLiveAsync(id)).GrantedTTL);
        await Api.RevokeAsync(id);
    }

    [Fact]
    public async Task The_id_of_a_revoked_lease_can_be_granted_again()
    {
        var id = ChosenId();
        await Api.GrantAsync(60, id);
        await Api.RevokeAsync(id);

        var again = await Api.GrantAsync(30, id);

        Assert.Equal((id, 30L), (again.ID, again.TTL));
        await Api.RevokeAsync(id);
    }

    [Fact]
    public async Task A_ttl_beyond_the_maximum_is_OutOfRange()
    {
        await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: too large lease TTL", () => Api.GrantAsync(9_000_000_001));
    }

    [Fact]
    public async Task Revoking_deletes_the_attached_keys_in_one_revision_in_key_order()
    {
        var p = Prefix();
        var lease = await Api.GrantAsync(60);
        foreach (var key in new[] { "c", "a", "b" })
        {
            await Api.PutAsync(p + key, "v", lease.ID);
        }

        await Api.PutAsync(p + "free", "v");
        var before = await Api.RevisionAsync();
        await using var watch = await Api.WatchAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = B(p), RangeEnd = PrefixEnd(p) });

        var revoke = await Api.RevokeAsync(lease.ID);
        var response = Assert.Single(await watch.ResponsesWithEventsAsync(3));

        Assert.Equal(before + 1, revoke.Header.Revision);
        Assert.Equal([p + "a", p + "b", p + "c"], response.Events.Select(e => S(e.Kv.Key)));
        Assert.All(response.Events, e => Assert.Equal((EventType.Delete, revoke.Header.Revision), (e.Type, e.Kv.ModRevision)));
        Assert.Equal([p + "free"], (await Api.GetPrefixAsync(p)).Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(4, (await Api.GetPrefixAsync(p, before)).Count);
    }

    [Fact]
    public async Task Revoking_a_lease_without_keys_takes_no_revision()
    {
        var lease = await Api.GrantAsync(60);
        var before = await Api.RevisionAsync();

        var revoke = await Api.RevokeAsync(lease.ID);

        Assert.Equal(before, revoke.Header.Revision);
        Assert.Equal(-1, (await Api.TimeToLiveAsync(lease.ID)).TTL);
    }

    [Fact]
    public async Task Revoking_an_unknown_lease_is_NotFound()
    {
        await Expect.RpcErrorAsync(StatusCode.NotFound, "etcdserver: requested lease not found", () => Api.RevokeAsync(ChosenId()));
    }

    [Fact]
    public async Task A_deleted_key_is_no_longer_attached_to_its_lease()
    {
        var p = Prefix();
        var lease = await Api.GrantAsync(60);
        await Api.PutAsync(p + "a", "v", lease.ID);
        await Api.PutAsync(p + "b", "v", lease.ID);

        await Api.DeleteAsync(p + "a");
        await Api.PutAsync(p + "a", "again");

        Assert.Equal([p + "b"], (await Api.TimeToLiveAsync(lease.ID, keys: true)).Keys.Select(S));
        await Api.RevokeAsync(lease.ID);
        Assert.Equal([p + "a"], (await Api.GetPrefixAsync(p)).Kvs.Select(kv => S(kv.Key)));
    }

    [Fact]
    public async Task A_key_moved_to_another_lease_goes_with_that_lease()
    {
        var p = Prefix();
        var first = await Api.GrantAsync(60);
        var second = await Api.GrantAsync(60);
        await Api.PutAsync(p + "k", "v", first.ID);

        await Api.PutAsync(p + "k", "v", second.ID);
        await Api.RevokeAsync(first.ID);

        Assert.Single((await Api.GetAsync(p + "k")).Kvs);
        await Api.RevokeAsync(second.ID);
        Assert.Empty((await Api.GetAsync(p + "k")).Kvs);
    }

    [Fact]
    public async Task Keep_alive_answers_each_request_with_the_granted_ttl_and_an_unknown_lease_with_ttl_0()
    {
        var lease = await Api.GrantAsync(30);
        var unknown = ChosenId();
        using var keepAlive = Api.KeepAlive();

        await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID });
        Assert.True(await keepAlive.ResponseStream.MoveNext());
        var renewed = keepAlive.ResponseStream.Current;
        await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = unknown });
        Assert.True(await keepAlive.ResponseStream.MoveNext());
        var missing = keepAlive.ResponseStream.Current;
        await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID });
        Assert.True(await keepAlive.ResponseStream.MoveNext());
        var again = keepAlive.ResponseStream.Current;

        Assert.Equal((lease.ID, 30L), (renewed.ID, renewed.TTL));
        Assert.Equal((unknown, 0L), (missing.ID, missing.TTL));
        Assert.Equal((lease.ID, 30L), (again.ID, again.TTL));
        Assert.NotEqual(0UL, renewed.Header.ClusterId);
        await Api.RevokeAsync(lease.ID);
    }

    [Fact]
    public async Task Time_to_live_reports_the_remaining_and_granted_ttl_and_the_attached_keys()
    {
        var p = Prefix();
        var lease = await Api.GrantAsync(60);
        await Api.PutAsync(p + "b", "v", lease.ID);
        await Api.PutAsync(p + "a", "v", lease.ID);

        var withKeys = await Api.TimeToLiveAsync(lease.ID, keys: true);
        var withoutKeys = await Api.TimeToLiveAsync(lease.ID);

        Assert.Equal(lease.ID, withKeys.ID);
        Assert.Equal(60, withKeys.GrantedTTL);
        Assert.InRange(withKeys.TTL, 55, 60);
        Assert.Equal([p + "a", p + "b"], withKeys.Keys.Select(S).Order(StringComparer.Ordinal)); // etcd lists them in no order
        Assert.Empty(withoutKeys.Keys);
        Assert.Equal(await Api.RevisionAsync(), withKeys.Header.Revision);
        await Api.RevokeAsync(lease.ID);
    }

    [Fact]
    public async Task Time_to_live_of_an_unknown_lease_is_minus_one_not_an_error()
    {
        var id = ChosenId();

        var ttl = await Api.TimeToLiveAsync(id, keys: true);

        Assert.Equal((id, -1L, 0L), (ttl.ID, ttl.TTL, ttl.GrantedTTL));
        Assert.Empty(ttl.Keys);
        Assert.NotEqual(0UL, ttl.Header.ClusterId);
    }

    [Fact]
    public async Task The_lease_list_holds_granted_leases_until_they_are_revoked()
    {
        var a = await Api.GrantAsync(60);
        var b = await Api.GrantAsync(60, ChosenId());

        var listed = (await Api.LeasesAsync()).Leases.Select(l => l.ID).ToList();
        await Api.RevokeAsync(a.ID);
        var after = (await Api.LeasesAsync()).Leases.Select(l => l.ID).ToList();

        Assert.Contains(a.ID, listed);
        Assert.Contains(b.ID, listed);
        Assert.DoesNotContain(a.ID, after);
        Assert.Contains(b.ID, after);
        await Api.RevokeAsync(b.ID);
    }

    [Fact]
    public async Task The_lease_list_is_ordered_soonest_to_expire_first()
    {
        var later = await Api.GrantAsync(600);
        var sooner = await Api.GrantAsync(300);

        var listed = (await Api.LeasesAsync()).Leases.Select(l => l.ID).Where(id => id == later.ID || id == sooner.ID);

        Assert.Equal([sooner.ID, later.ID], listed);
        await Api.RevokeAsync(later.ID);
        await Api.RevokeAsync(sooner.ID);
    }

    [Fact]
    public async Task An_expired_lease_deletes_its_keys_in_one_revision_and_is_gone()
    {
        var p = Prefix();
        var lease = await Api.GrantAsync(1);
        await Api.PutAsync(p + "a", "v", lease.ID);
        await Api.PutAsync(p + "b", "v", lease.ID);
        await using var watch = await Api.WatchAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = B(p), RangeEnd = PrefixEnd(p) });

        var response = Assert.Single(await watch.ResponsesWithEventsAsync(2, TimeSpan.FromSeconds(10)));

        Assert.All(response.Events, e => Assert.Equal((EventType.Delete, response.Events[0].Kv.ModRevision), (e.Type, e.Kv.ModRevision)));
        Assert.Empty((await Api.GetPrefixAsync(p)).Kvs);
        Assert.Equal(-1, (await Api.TimeToLiveAsync(lease.ID)).TTL);
        Assert.DoesNotContain(lease.ID, (await Api.LeasesAsync()).Leases.Select(l => l.ID));
        await Expect.RpcErrorAsync(StatusCode.NotFound, "etcdserver: requested lease not found", () => Api.PutAsync(p + "c", "v", lease.ID));
    }

    [Fact]
    public async Task Keep_alives_keep_a_short_lease_and_its_keys_alive()
    {
        var p = Prefix();
        var lease = await Api.GrantAsync(MinTtl);
        await Api.PutAsync(p + "k", "v", lease.ID);
        using var keepAlive = Api.KeepAlive();

        for (var i = 0; i < 6; i++)
        {
            await keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID });
            Assert.True(await keepAlive.ResponseStream.MoveNext());
            Assert.Equal(MinTtl, keepAlive.ResponseStream.Current.TTL);
            await Task.Delay(500);
        }

        Assert.Single((await Api.GetAsync(p + "k")).Kvs);
        await Api.RevokeAsync(lease.ID);
    }
}

public sealed class LeaseContractOnMiniKube(MiniKubeFixture server) : LeaseContract(server), IClassFixture<MiniKubeFixture>;

public sealed class LeaseContractOnEtcd(EtcdFixture server) : LeaseContract(server), IClassFixture<EtcdFixture>;
