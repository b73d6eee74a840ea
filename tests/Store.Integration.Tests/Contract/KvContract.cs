using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;
using SortOrder = Etcdserverpb.RangeRequest.Types.SortOrder;
using SortTarget = Etcdserverpb.RangeRequest.Types.SortTarget;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// Put, Range and DeleteRange as etcd 3.4 answers them: revisions and versions, ranges by key,
/// prefix and from-key, limits, counts, sorting, past revisions and filters.
/// </summary>
public abstract class KvContract(ServerFixture server)
{
    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("kv/" + test);

    [Fact]
    public async Task Each_put_takes_the_next_revision_and_keeps_create_revision_and_counts_versions()
    {
        var key = Prefix() + "k";

        var first = await Api.PutAsync(key, "v1");
        var second = await Api.PutAsync(key, "v2");
        var read = await Api.GetAsync(key);

        Assert.Equal(first.Header.Revision + 1, second.Header.Revision);
        Assert.Equal(second.Header.Revision, read.Header.Revision);
        var kv = Assert.Single(read.Kvs);
        Assert.Equal(key, S(kv.Key));
        Assert.Equal("v2", S(kv.Value));
        Assert.Equal(first.Header.Revision, kv.CreateRevision);
        Assert.Equal(second.Header.Revision, kv.ModRevision);
        Assert.Equal(2, kv.Version);
        Assert.Equal(0, kv.Lease);
        Assert.Equal(1, read.Count);
        Assert.False(read.More);
    }

    [Fact]
    public async Task A_key_put_again_after_its_deletion_starts_over_at_version_1()
    {
        var key = Prefix() + "k";
        await Api.PutAsync(key, "v1");
        await Api.PutAsync(key, "v2");

        var deleted = await Api.DeleteAsync(key);
        var recreated = await Api.PutAsync(key, "v3");

        var kv = Assert.Single((await Api.GetAsync(key)).Kvs);
        Assert.Equal(deleted.Header.Revision + 1, recreated.Header.Revision);
        Assert.Equal(recreated.Header.Revision, kv.CreateRevision);
        Assert.Equal(recreated.Header.Revision, kv.ModRevision);
        Assert.Equal(1, kv.Version);
    }

    [Fact]
    public async Task Responses_carry_the_cluster_and_member_ids_and_raft_term()
    {
        var p = Prefix();
        var put = await Api.PutAsync(p + "k", "v");
        var range = await Api.GetAsync(p + "missing");
        var status = await Api.StatusAsync();

        foreach (var header in new[] { put.Header, range.Header })
        {
            Assert.NotEqual(0UL, header.ClusterId);
            Assert.Equal(status.Leader, header.MemberId);
            Assert.True(header.RaftTerm >= 1);
        }

        Assert.Empty(range.Kvs);
        Assert.Equal(0, range.Count);
        Assert.Equal(put.Header.Revision, range.Header.Revision);
    }

    [Fact]
    public async Task A_prefix_range_holds_exactly_the_keys_under_the_prefix_in_key_order()
    {
        var p = Prefix();
        var outside = p[..^1] + "0"; // the prefix's range end itself lies outside
        foreach (var key in new[] { p + "c", p + "a", outside, p + "b", p[..^1] })
        {
            await Api.PutAsync(key, "v");
        }

        var range = await Api.GetPrefixAsync(p);

        Assert.Equal([p + "a", p + "b", p + "c"], range.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(3, range.Count);
        Assert.False(range.More);
    }

    [Fact]
    public async Task A_range_end_of_zero_byte_reads_every_key_from_the_key_on()
    {
        var p = Prefix();
        foreach (var key in new[] { p + "a", p + "b", p + "c" })
        {
            await Api.PutAsync(key, "v");
        }

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p + "b"), RangeEnd = FromKey, Limit = 2 });
        var all = await Api.RangeAsync(new RangeRequest { Key = FromKey, RangeEnd = FromKey, CountOnly = true });

        // Keys of other tests may follow ours; the first two after p/b can only be ours.
        Assert.Equal([p + "b", p + "c"], range.Kvs.Select(kv => S(kv.Key)));
        Assert.True(range.Count >= 2);
        Assert.Equal(range.Count > 2, range.More);
        Assert.True(all.Count >= 3);
    }

    [Fact]
    public async Task A_range_end_before_the_key_is_an_empty_range_not_an_error()
    {
        var p = Prefix();
        await Api.PutAsync(p + "b", "v");

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p + "c"), RangeEnd = B(p + "a") });
        var equal = await Api.RangeAsync(new RangeRequest { Key = B(p + "b"), RangeEnd = B(p + "b") });
        var deleted = await Api.DeleteAsync(new DeleteRangeRequest { Key = B(p + "c"), RangeEnd = B(p + "a") });

        Assert.Empty(range.Kvs);
        Assert.Equal(0, range.Count);
        Assert.Empty(equal.Kvs);
        Assert.Equal(0, deleted.Deleted);
        Assert.Single((await Api.GetAsync(p + "b")).Kvs);
    }

    [Theory]
    [InlineData(0, 5, false)]
    [InlineData(1, 1, true)]
    [InlineData(2, 2, true)]
    [InlineData(4, 4, true)]
    [InlineData(5, 5, false)]
    [InlineData(6, 5, false)]
    public async Task A_limit_returns_the_first_keys_with_the_full_count_and_whether_there_are_more(long limit, int returned, bool more)
    {
        var p = Prefix() + limit + "/";
        for (var i = 0; i < 5; i++)
        {
            await Api.PutAsync(p + i, "v" + i);
        }

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), Limit = limit });

        Assert.Equal(Enumerable.Range(0, returned).Select(i => p + i), range.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(5, range.Count);
        Assert.Equal(more, range.More);
    }

    [Fact]
    public async Task Count_only_returns_the_count_and_no_key_values_even_with_a_limit()
    {
        var p = Prefix();
        for (var i = 0; i < 5; i++)
        {
            await Api.PutAsync(p + i, "v");
        }

        var counted = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), CountOnly = true });
        var limited = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), CountOnly = true, Limit = 2 });

        Assert.Empty(counted.Kvs);
        Assert.Equal(5, counted.Count);
        Assert.False(counted.More);
        Assert.Empty(limited.Kvs);
        Assert.Equal(5, limited.Count);
        Assert.False(limited.More);
    }

    [Fact]
    public async Task Keys_only_leaves_out_values_but_keeps_revisions_and_versions()
    {
        var p = Prefix();
        var put = await Api.PutAsync(p + "a", "value");
        await Api.PutAsync(p + "a", "value2");

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), KeysOnly = true });

        var kv = Assert.Single(range.Kvs);
        Assert.Equal(p + "a", S(kv.Key));
        Assert.True(kv.Value.IsEmpty);
        Assert.Equal(put.Header.Revision, kv.CreateRevision);
        Assert.Equal(put.Header.Revision + 1, kv.ModRevision);
        Assert.Equal(2, kv.Version);
    }

    /// <summary>Four keys whose order differs by every sort target (no ties).</summary>
    private async Task<(string Prefix, List<Mvccpb.KeyValue> Kvs)> SortableKeysAsync(string p)
    {
        // Created in the order c, a, d, b; then versions a=3, b=1, c=2, d=4 with mod order b < c < a < d.
        string[] writes = ["c", "a", "d", "b", "a", "c", "a", "d", "d", "d"];
        var values = new Dictionary<string, string> { ["a"] = "m", ["b"] = "z", ["c"] = "a", ["d"] = "q" };
        foreach (var key in writes)
        {
            await Api.PutAsync(p + key, values[key]);
        }

        var all = await Api.GetPrefixAsync(p);
        return (p, [.. all.Kvs]);
    }

    public static TheoryData<SortTarget, SortOrder, long> SortCases()
    {
        var cases = new TheoryData<SortTarget, SortOrder, long>();
        foreach (var target in Enum.GetValues<SortTarget>())
        {
            foreach (var order in Enum.GetValues<SortOrder>())
            {
                cases.Add(target, order, 0);
                cases.Add(target, order, 2);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(SortCases))]
    public async Task Sorting_orders_by_the_target_before_the_limit_applies(SortTarget target, SortOrder order, long limit)
    {
        var (p, kvs) = await SortableKeysAsync(Prefix() + $"{target}-{order}-{limit}/");
        Func<Mvccpb.KeyValue, IComparable> by = target switch
        {
            SortTarget.Version => kv => kv.Version,
            SortTarget.Create => kv => kv.CreateRevision,
            SortTarget.Mod => kv => kv.ModRevision,
            SortTarget.Value => kv => S(kv.Value),
            _ => kv => S(kv.Key),
        };

        // A target other than KEY without an order sorts ascending; KEY without an order is key order.
        var expected = order == SortOrder.Descend ? kvs.OrderByDescending(by) : kvs.OrderBy(by);
        var expectedKeys = expected.Select(kv => S(kv.Key)).ToList();
        if (limit > 0)
        {
            expectedKeys = expectedKeys[..(int)limit];
        }

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), SortTarget = target, SortOrder = order, Limit = limit });

        Assert.Equal(expectedKeys, range.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(4, range.Count);
        Assert.Equal(limit > 0, range.More);
    }

    [Fact]
    public async Task Sorting_by_value_with_keys_only_still_orders_by_the_values()
    {
        var (p, kvs) = await SortableKeysAsync(Prefix());

        var range = await Api.RangeAsync(new RangeRequest
        {
            Key = B(p),
            RangeEnd = PrefixEnd(p),
            KeysOnly = true,
            SortTarget = SortTarget.Value,
            SortOrder = SortOrder.Descend,
        });

        Assert.Equal(kvs.OrderByDescending(kv => S(kv.Value), StringComparer.Ordinal).Select(kv => S(kv.Key)), range.Kvs.Select(kv => S(kv.Key)));
        Assert.All(range.Kvs, kv => Assert.True(kv.Value.IsEmpty));
    }

    [Fact]
    public async Task A_read_at_a_past_revision_sees_the_key_as_it_was_then()
    {
        var key = Prefix() + "k";
        var r1 = (await Api.PutAsync(key, "v1")).Header.Revision;
        var r2 = (await Api.PutAsync(key, "v2")).Header.Revision;
        var r3 = (await Api.DeleteAsync(key)).Header.Revision;
        var r4 = (await Api.PutAsync(key, "v3")).Header.Revision;

        var before = await Api.GetAsync(key, r1 - 1);
        var at1 = await Api.GetAsync(key, r1);
        var at2 = await Api.GetAsync(key, r2);
        var at3 = await Api.GetAsync(key, r3);
        var at4 = await Api.GetAsync(key, r4);

        Assert.Empty(before.Kvs);
        Assert.Equal(("v1", r1, r1, 1L), Describe(Assert.Single(at1.Kvs)));
        Assert.Equal(("v2", r1, r2, 2L), Describe(Assert.Single(at2.Kvs)));
        Assert.Empty(at3.Kvs);
        Assert.Equal(0, at3.Count);
        Assert.Equal(("v3", r4, r4, 1L), Describe(Assert.Single(at4.Kvs)));

        // The header is the current revision, not the one read at.
        Assert.All(new[] { before, at1, at2, at3, at4 }, r => Assert.Equal(r4, r.Header.Revision));
    }

    [Fact]
    public async Task A_prefix_read_at_a_past_revision_counts_and_limits_the_keys_of_then()
    {
        var p = Prefix();
        await Api.PutAsync(p + "a", "1");
        await Api.PutAsync(p + "b", "1");
        var then = (await Api.PutAsync(p + "c", "1")).Header.Revision;
        await Api.DeleteAsync(p + "a");
        await Api.PutAsync(p + "d", "1");

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), Revision = then, Limit = 2 });

        Assert.Equal([p + "a", p + "b"], range.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(3, range.Count);
        Assert.True(range.More);
    }

    [Fact]
    public async Task A_read_at_a_future_revision_is_OutOfRange()
    {
        var current = await Api.RevisionAsync();

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision",
            () => Api.GetAsync(Prefix() + "k", current + 100));
    }

    [Fact]
    public async Task A_read_at_a_negative_revision_reads_the_current_state()
    {
        var p = Prefix();
        await Api.PutAsync(p + "k", "v1");
        await Api.PutAsync(p + "k", "v2");

        var range = await Api.GetAsync(p + "k", -5);

        Assert.Equal("v2", S(Assert.Single(range.Kvs).Value));
    }

    [Fact]
    public async Task A_read_at_the_current_revision_is_allowed()
    {
        var p = Prefix();
        var put = await Api.PutAsync(p + "k", "v");

        var range = await Api.GetAsync(p + "other", put.Header.Revision);

        Assert.Empty(range.Kvs);
        Assert.Equal(put.Header.Revision, range.Header.Revision);
    }

    [Theory]
    [InlineData("min_mod", new[] { "b", "c", "d" })]
    [InlineData("max_mod", new[] { "a", "d" })]
    [InlineData("min_create", new[] { "c", "d" })]
    [InlineData("max_create", new[] { "a", "b", "c" })]
    [InlineData("min_create+max_mod", new[] { "d" })]
    public async Task Revision_filters_keep_the_matching_keys_and_count_the_whole_range(string filter, string[] expected)
    {
        // Mod revisions end up in the order a < d < b < c; create revisions in the order a < b < c < d.
        var p = Prefix() + filter + "/";
        await Api.PutAsync(p + "a", "1");
        await Api.PutAsync(p + "b", "1");
        var c = (await Api.PutAsync(p + "c", "1")).Header.Revision;
        var d = (await Api.PutAsync(p + "d", "1")).Header.Revision;
        await Api.PutAsync(p + "b", "2");
        await Api.PutAsync(p + "c", "2");

        var request = new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p) };
        switch (filter)
        {
            case "min_mod": request.MinModRevision = d; break;
            case "max_mod": request.MaxModRevision = d; break;
            case "min_create": request.MinCreateRevision = c; break;
            case "max_create": request.MaxCreateRevision = c; break;
            default: request.MinCreateRevision = c; request.MaxModRevision = d; break;
        }

        var range = await Api.RangeAsync(request);

        Assert.Equal(expected.Select(k => p + k), range.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(4, range.Count); // etcd counts the range before filtering
    }

    [Fact]
    public async Task Filters_apply_before_the_limit()
    {
        var p = Prefix();
        await Api.PutAsync(p + "a", "1");
        var b = (await Api.PutAsync(p + "b", "1")).Header.Revision;
        await Api.PutAsync(p + "c", "1");
        await Api.PutAsync(p + "d", "1");

        var range = await Api.RangeAsync(new RangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), MinCreateRevision = b, Limit = 2 });

        Assert.Equal([p + "b", p + "c"], range.Kvs.Select(kv => S(kv.Key)));
        Assert.True(range.More);
        Assert.Equal(4, range.Count);
    }

    [Fact]
    public async Task Put_with_prev_kv_returns_the_previous_key_value_only_when_there_was_one()
    {
        var key = Prefix() + "k";

        var first = await Api.PutAsync(key, "v1", prevKv: true);
        var second = await Api.PutAsync(key, "v2", prevKv: true);
        var without = await Api.PutAsync(key, "v3");

        Assert.Null(first.PrevKv);
        Assert.Equal(("v1", first.Header.Revision, first.Header.Revision, 1L), Describe(second.PrevKv));
        Assert.Null(without.PrevKv);
    }

    [Fact]
    public async Task Put_with_ignore_value_keeps_the_value_and_makes_a_new_version()
    {
        var key = Prefix() + "k";
        var created = await Api.PutAsync(key, "kept");

        var put = await Api.PutAsync(new PutRequest { Key = B(key), IgnoreValue = true, PrevKv = true });

        var kv = Assert.Single((await Api.GetAsync(key)).Kvs);
        Assert.Equal(("kept", created.Header.Revision, put.Header.Revision, 2L), Describe(kv));
        Assert.Equal("kept", S(put.PrevKv.Value));
        Assert.Equal(created.Header.Revision + 1, put.Header.Revision);
    }

    [Fact]
    public async Task Put_with_ignore_lease_keeps_the_lease_and_takes_the_new_value()
    {
        var key = Prefix() + "k";
        var lease = await Api.GrantAsync(60);
        await Api.PutAsync(key, "v1", lease.ID);

        await Api.PutAsync(new PutRequest { Key = B(key), Value = B("v2"), IgnoreLease = true });

        var kv = Assert.Single((await Api.GetAsync(key)).Kvs);
        Assert.Equal("v2", S(kv.Value));
        Assert.Equal(lease.ID, kv.Lease);
        await Api.RevokeAsync(lease.ID);
    }

    [Fact]
    public async Task Put_without_a_lease_detaches_the_key_from_its_lease()
    {
        var key = Prefix() + "k";
        var lease = await Api.GrantAsync(60);
        await Api.PutAsync(key, "v1", lease.ID);

        await Api.PutAsync(key, "v2");
        await Api.RevokeAsync(lease.ID);

        var kv = Assert.Single((await Api.GetAsync(key)).Kvs);
        Assert.Equal(0, kv.Lease);
        Assert.Equal("v2", S(kv.Value));
    }

    public static TheoryData<string, PutRequest, string> PutErrors => new()
    {
        { "ignore_value on a missing key", new PutRequest { Key = B("missing"), IgnoreValue = true }, "etcdserver: key not found" },
        { "ignore_lease on a missing key", new PutRequest { Key = B("missing"), Value = B("v"), IgnoreLease = true }, "etcdserver: key not found" },
        { "ignore_value with a value", new PutRequest { Key = B("k"), Value = B("v"), IgnoreValue = true }, "etcdserver: value is provided" },
        { "ignore_lease with a lease", new PutRequest { Key = B("k"), Lease = 5, IgnoreLease = true }, "etcdserver: lease is provided" },
        { "no key", new PutRequest { Value = B("v") }, "etcdserver: key is not provided" },
    };

    [Theory]
    [MemberData(nameof(PutErrors))]
    public async Task Invalid_puts_are_InvalidArgument_and_change_nothing(string name, PutRequest put, string detail)
    {
        _ = name;
        var p = Prefix();
        if (!put.Key.IsEmpty)
        {
            put.Key = B(p + S(put.Key));
        }

        var before = await Api.RevisionAsync();

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, detail, () => Api.PutAsync(put));

        Assert.Equal(before, await Api.RevisionAsync());
    }

    [Fact]
    public async Task Put_with_a_lease_that_does_not_exist_is_NotFound()
    {
        var key = Prefix() + "k";

        await Expect.RpcErrorAsync(StatusCode.NotFound, "etcdserver: requested lease not found", () => Api.PutAsync(key, "v", lease: 0x7fff_0000_1234));

        Assert.Empty((await Api.GetAsync(key)).Kvs);
    }

    [Fact]
    public async Task Values_are_bytes_empty_and_binary_alike()
    {
        var p = Prefix();
        var binary = ByteString.CopyFrom(0, 255, 0, 1, 128);
        await Api.PutAsync(new PutRequest { Key = B(p + "empty") });
        await Api.PutAsync(new PutRequest { Key = B(p + "binary"), Value = binary });
        await Api.PutAsync(new PutRequest { Key = ByteString.CopyFrom([.. B(p + "key-"), 0, 255]), Value = B("v") });

        var range = await Api.GetPrefixAsync(p);

        Assert.Equal(3, range.Count);
        Assert.Equal(binary, range.Kvs.Single(kv => S(kv.Key) == p + "binary").Value);
        Assert.True(range.Kvs.Single(kv => S(kv.Key) == p + "empty").Value.IsEmpty);
        Assert.Equal(ByteString.CopyFrom([.. B(p + "key-"), 0, 255]), range.Kvs[^1].Key);
    }

    [Fact]
    public async Task DeleteRange_of_one_key_deletes_it_at_a_new_revision_and_returns_prev_kv_on_request()
    {
        var key = Prefix() + "k";
        var put = await Api.PutAsync(key, "v");

        var deleted = await Api.DeleteAsync(key, prevKv: true);

        Assert.Equal(1, deleted.Deleted);
        Assert.Equal(put.Header.Revision + 1, deleted.Header.Revision);
        Assert.Equal(("v", put.Header.Revision, put.Header.Revision, 1L), Describe(Assert.Single(deleted.PrevKvs)));
        Assert.Empty((await Api.GetAsync(key)).Kvs);
    }

    [Fact]
    public async Task DeleteRange_of_a_prefix_deletes_every_key_in_one_revision()
    {
        var p = Prefix();
        foreach (var key in new[] { "b", "a", "c" })
        {
            await Api.PutAsync(p + key, key);
        }

        var outside = p[..^1] + "0";
        await Api.PutAsync(outside, "stays");

        var deleted = await Api.DeleteAsync(new DeleteRangeRequest { Key = B(p), RangeEnd = PrefixEnd(p), PrevKv = true });
        var withoutPrev = await Api.DeleteAsync(new DeleteRangeRequest { Key = B(outside) });

        Assert.Equal(3, deleted.Deleted);
        Assert.Equal([p + "a", p + "b", p + "c"], deleted.PrevKvs.Select(kv => S(kv.Key)));
        Assert.Equal(["a", "b", "c"], deleted.PrevKvs.Select(kv => S(kv.Value)));
        Assert.Equal(deleted.Header.Revision + 1, withoutPrev.Header.Revision);
        Assert.Equal(1, withoutPrev.Deleted);
        Assert.Empty(withoutPrev.PrevKvs);
    }

    [Fact]
    public async Task DeleteRange_of_nothing_deletes_nothing_and_takes_no_revision()
    {
        var p = Prefix();
        var put = await Api.PutAsync(p + "k", "v");
        var empty = p + "empty/";

        var deleted = await Api.DeleteAsync(p + "missing", prevKv: true);
        var prefix = await Api.DeleteAsync(new DeleteRangeRequest { Key = B(empty), RangeEnd = PrefixEnd(empty) });

        Assert.Equal(0, deleted.Deleted);
        Assert.Empty(deleted.PrevKvs);
        Assert.Equal(put.Header.Revision, deleted.Header.Revision);
        Assert.Equal(put.Header.Revision, prefix.Header.Revision);
        Assert.Equal(put.Header.Revision, await Api.RevisionAsync());
    }

    [Fact]
    public async Task DeleteRange_from_a_key_on_deletes_every_later_key()
    {
        // Only this test's keys lie between p/b and p/~: a from-key delete would take other tests'
        // keys too, so the range is bounded the way "from key" is for a prefix of our own.
        var p = Prefix();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await Api.PutAsync(p + key, "v");
        }

        var deleted = await Api.DeleteAsync(new DeleteRangeRequest { Key = B(p + "b"), RangeEnd = PrefixEnd(p), PrevKv = true });

        Assert.Equal(3, deleted.Deleted);
        Assert.Equal([p + "a"], (await Api.GetPrefixAsync(p)).Kvs.Select(kv => S(kv.Key)));
    }

    [Fact]
    public async Task Range_and_DeleteRange_without_a_key_are_InvalidArgument()
    {
        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: key is not provided", () => Api.RangeAsync(new RangeRequest { RangeEnd = B("z") }));
        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: key is not provided", () => Api.DeleteAsync(new DeleteRangeRequest { RangeEnd = B("z") }));
    }

    private static (string Value, long Create, long Mod, long Version) Describe(Mvccpb.KeyValue kv) =>
        (S(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version);
}

public sealed class KvContractOnMiniKube(MiniKubeFixture server) : KvContract(server), IClassFixture<MiniKubeFixture>;

public sealed class KvContractOnEtcd(EtcdFixture server) : KvContract(server), IClassFixture<EtcdFixture>;
