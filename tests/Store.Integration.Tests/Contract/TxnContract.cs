using System.Runtime.CompilerServices;
using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;
using Result = Etcdserverpb.Compare.Types.CompareResult;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// Txn as etcd 3.4 applies it: compares on every target, over ranges and missing keys, both
/// branches, nested transactions, reads of the transaction's own writes, revisions, and the
/// checks made before a transaction runs.
/// </summary>
public abstract class TxnContract(ServerFixture server)
{
    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("txn/" + test);

    /// <summary>Compares against a key holding "m" at version 2 with a lease; the number is the offset from the key's own field.</summary>
    public static TheoryData<string, Result, int, bool> Compares()
    {
        var data = new TheoryData<string, Result, int, bool>();
        foreach (var target in new[] { "value", "version", "create", "mod", "lease" })
        {
            foreach (var offset in new[] { -1, 0, 1 })
            {
                data.Add(target, Result.Equal, offset, offset == 0);
                data.Add(target, Result.NotEqual, offset, offset != 0);
                data.Add(target, Result.Greater, offset, offset < 0); // the key's field is greater than the operand
                data.Add(target, Result.Less, offset, offset > 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Compares))]
    public async Task A_compare_on_an_existing_key_compares_its_field_with_the_operand(string target, Result result, int offset, bool holds)
    {
        var key = Prefix() + $"{target}-{result}-{offset}";
        var lease = await Api.GrantAsync(60);
        await Api.PutAsync(key, "x", lease.ID);
        var put = await Api.PutAsync(key, "m", lease.ID);
        var kv = (await Api.GetAsync(key)).Kvs[0];
        var compare = target switch
        {
            "value" => Cmp.Value(key, result, offset switch { -1 => "l", 0 => "m", _ => "n" }),
            "version" => Cmp.Version(key, result, kv.Version + offset),
            "create" => Cmp.Create(key, result, kv.CreateRevision + offset),
            "mod" => Cmp.Mod(key, result, kv.ModRevision + offset),
            _ => Cmp.Lease(key, result, kv.Lease + offset),
        };

        var txn = await Api.TxnAsync(Op.Txn([compare], [Op.Get(key)], [Op.Get(key + "/else")]));

        Assert.Equal(holds, txn.Succeeded);
        var range = Assert.Single(txn.Responses).ResponseRange;
        Assert.Equal(holds ? 1 : 0, range.Count);
        Assert.Equal(put.Header.Revision, txn.Header.Revision);
        await Api.RevokeAsync(lease.ID);
    }

    [Theory]
    [InlineData("value equal to empty", false)]
    [InlineData("value not equal", false)]
    [InlineData("value greater", false)]
    [InlineData("version equal 0", true)]
    [InlineData("version less 1", true)]
    [InlineData("version greater 0", false)]
    [InlineData("create equal 0", true)]
    [InlineData("create greater 0", false)]
    [InlineData("mod equal 0", true)]
    [InlineData("mod less 1", true)]
    [InlineData("lease equal 0", true)]
    [InlineData("lease not equal 0", false)]
    public async Task A_compare_on_a_missing_key_sees_zeros_and_never_holds_on_value(string compare, bool holds)
    {
        var key = Prefix() + "missing";
        var c = compare switch
        {
            "value equal to empty" => Cmp.Value(key, Result.Equal, ""),
            "value not equal" => Cmp.Value(key, Result.NotEqual, "x"),
            "value greater" => Cmp.Value(key, Result.Greater, ""),
            "version equal 0" => Cmp.Version(key, Result.Equal, 0),
            "version less 1" => Cmp.Version(key, Result.Less, 1),
            "version greater 0" => Cmp.Version(key, Result.Greater, 0),
            "create equal 0" => Cmp.Create(key, Result.Equal, 0),
            "create greater 0" => Cmp.Create(key, Result.Greater, 0),
            "mod equal 0" => Cmp.Mod(key, Result.Equal, 0),
            "mod less 1" => Cmp.Mod(key, Result.Less, 1),
            "lease equal 0" => Cmp.Lease(key, Result.Equal, 0),
            _ => Cmp.Lease(key, Result.NotEqual, 0),
        };

        var txn = await Api.TxnAsync(Op.Txn([c], []));

        Assert.Equal(holds, txn.Succeeded);
    }

    [Fact]
    public async Task A_compare_over_a_range_holds_only_if_it_holds_for_every_key_in_it()
    {
        var p = Prefix();
        await Api.PutAsync(p + "a", "1");
        await Api.PutAsync(p + "b", "1");
        await Api.PutAsync(p + "b", "2");
        var empty = p + "empty/";

        Compare OnPrefix(Compare c, string prefix)
        {
            c.RangeEnd = PrefixEnd(prefix);
            return c;
        }

        var allVersionsPositive = await Api.TxnAsync(Op.Txn([OnPrefix(Cmp.Version(p, Result.Greater, 0), p)], []));
        var allVersionsOne = await Api.TxnAsync(Op.Txn([OnPrefix(Cmp.Version(p, Result.Equal, 1), p)], []));
        var allValuesAboveZero = await Api.TxnAsync(Op.Txn([OnPrefix(Cmp.Value(p, Result.Greater, "0"), p)], []));
        var emptyRangeVersion = await Api.TxnAsync(Op.Txn([OnPrefix(Cmp.Version(empty, Result.Equal, 0), empty)], []));
        var emptyRangeValue = await Api.TxnAsync(Op.Txn([OnPrefix(Cmp.Value(empty, Result.NotEqual, "x"), empty)], []));

        Assert.True(allVersionsPositive.Succeeded);
        Assert.False(allVersionsOne.Succeeded);
        Assert.True(allValuesAboveZero.Succeeded);
        Assert.True(emptyRangeVersion.Succeeded);
        Assert.False(emptyRangeValue.Succeeded);
    }

    [Fact]
    public async Task Every_compare_must_hold_for_the_success_branch()
    {
        var key = Prefix() + "k";
        await Api.PutAsync(key, "v");

        var both = await Api.TxnAsync(Op.Txn([Cmp.Value(key, Result.Equal, "v"), Cmp.Version(key, Result.Equal, 1)], []));
        var one = await Api.TxnAsync(Op.Txn([Cmp.Value(key, Result.Equal, "v"), Cmp.Version(key, Result.Equal, 2)], []));
        var none = await Api.TxnAsync(Op.Txn([], []));

        Assert.True(both.Succeeded);
        Assert.False(one.Succeeded);
        Assert.True(none.Succeeded);
    }

    [Fact]
    public async Task The_chosen_branch_runs_its_operations_in_order_at_one_new_revision()
    {
        var p = Prefix();
        var before = await Api.PutAsync(p + "gone", "old");

        var txn = await Api.TxnAsync(Op.Txn(
            [Cmp.Version(p + "flag", Result.Equal, 0)],
            [Op.Put(p + "a", "1"), Op.Get(p + "a"), Op.Delete(p + "gone", prevKv: true), Op.Put(p + "b", "2", prevKv: true), Op.Get(p + "gone")],
            [Op.Put(p + "else", "never")]));

        var revision = before.Header.Revision + 1;
        Assert.True(txn.Succeeded);
        Assert.Equal(revision, txn.Header.Revision);
        Assert.Equal(5, txn.Responses.Count);
        Assert.Equal(revision, txn.Responses[0].ResponsePut.Header.Revision);
        Assert.Null(txn.Responses[0].ResponsePut.PrevKv);
        var read = Assert.Single(txn.Responses[1].ResponseRange.Kvs);
        Assert.Equal(("1", revision, revision, 1L), (S(read.Value), read.CreateRevision, read.ModRevision, read.Version));
        Assert.Equal(1, txn.Responses[2].ResponseDeleteRange.Deleted);
        Assert.Equal("old", S(Assert.Single(txn.Responses[2].ResponseDeleteRange.PrevKvs).Value));
        Assert.Null(txn.Responses[3].ResponsePut.PrevKv);
        Assert.Empty(txn.Responses[4].ResponseRange.Kvs);
        Assert.Empty((await Api.GetAsync(p + "else")).Kvs);

        var a = Assert.Single((await Api.GetAsync(p + "a")).Kvs);
        var b = Assert.Single((await Api.GetAsync(p + "b")).Kvs);
        Assert.Equal(revision, a.ModRevision);
        Assert.Equal(revision, b.ModRevision);
    }

    [Fact]
    public async Task The_failure_branch_runs_when_a_compare_fails()
    {
        var p = Prefix();
        await Api.PutAsync(p + "k", "v");

        var txn = await Api.TxnAsync(Op.Txn(
            [Cmp.Value(p + "k", Result.Equal, "other")],
            [Op.Put(p + "then", "1")],
            [Op.Put(p + "else", "2"), Op.Get(p + "k")]));

        Assert.False(txn.Succeeded);
        Assert.Equal(2, txn.Responses.Count);
        Assert.NotNull(txn.Responses[0].ResponsePut);
        Assert.Equal("v", S(Assert.Single(txn.Responses[1].ResponseRange.Kvs).Value));
        Assert.Empty((await Api.GetAsync(p + "then")).Kvs);
        Assert.Single((await Api.GetAsync(p + "else")).Kvs);
    }

    [Fact]
    public async Task Reads_inside_a_transaction_see_its_earlier_writes_and_report_their_revision()
    {
        var p = Prefix();
        var start = await Api.PutAsync(p + "k", "v1");
        await Api.PutAsync(p + "d", "x");

        var txn = await Api.TxnAsync(Op.Txn([],
            [Op.Get(p + "k"), Op.Put(p + "k", "v2"), Op.Get(p + "k"), Op.Delete(p + "d"), Op.Get(p + "d"), Op.Get(p + "k", revision: start.Header.Revision)]));

        var before = txn.Header.Revision - 1;
        Assert.Equal(start.Header.Revision + 2, txn.Header.Revision);
        Assert.Equal("v1", S(txn.Responses[0].ResponseRange.Kvs[0].Value));
        Assert.Equal(before, txn.Responses[0].ResponseRange.Header.Revision);
        Assert.Equal("v2", S(txn.Responses[2].ResponseRange.Kvs[0].Value));
        Assert.Equal(2, txn.Responses[2].ResponseRange.Kvs[0].Version);
        Assert.Equal(txn.Header.Revision, txn.Responses[2].ResponseRange.Header.Revision);
        Assert.Equal(txn.Header.Revision, txn.Responses[3].ResponseDeleteRange.Header.Revision);
        Assert.Empty(txn.Responses[4].ResponseRange.Kvs);
        Assert.Equal("v1", S(txn.Responses[5].ResponseRange.Kvs[0].Value));
    }

    [Fact]
    public async Task Puts_and_deletes_inside_a_txn_return_prev_kvs_on_request()
    {
        var p = Prefix();
        var a = await Api.PutAsync(p + "a", "old-a");
        await Api.PutAsync(p + "b", "old-b");

        var txn = await Api.TxnAsync(Op.Txn([], [Op.Put(p + "a", "new-a", prevKv: true), Op.Delete(p + "b", prevKv: true), Op.Put(p + "c", "c", prevKv: true)]));

        var prev = txn.Responses[0].ResponsePut.PrevKv;
        Assert.Equal(("old-a", a.Header.Revision, 1L), (S(prev.Value), prev.ModRevision, prev.Version));
        Assert.Equal("old-b", S(Assert.Single(txn.Responses[1].ResponseDeleteRange.PrevKvs).Value));
        Assert.Null(txn.Responses[2].ResponsePut.PrevKv);
    }

    [Fact]
    public async Task A_transaction_that_changes_nothing_takes_no_revision()
    {
        var p = Prefix();
        var put = await Api.PutAsync(p + "k", "v");

        var readOnly = await Api.TxnAsync(Op.Txn([], [Op.Get(p + "k")]));
        var failedWithoutElse = await Api.TxnAsync(Op.Txn([Cmp.Version(p + "k", Result.Equal, 5)], [Op.Put(p + "k", "never")]));
        var deletesNothing = await Api.TxnAsync(Op.Txn([], [Op.Delete(p + "missing"), Op.DeletePrefix(p + "none/")]));
        var empty = await Api.TxnAsync(new TxnRequest());

        Assert.All(new[] { readOnly, failedWithoutElse, deletesNothing, empty }, t => Assert.Equal(put.Header.Revision, t.Header.Revision));
        Assert.Equal(put.Header.Revision, deletesNothing.Responses[0].ResponseDeleteRange.Header.Revision);
        Assert.Equal(0, deletesNothing.Responses[1].ResponseDeleteRange.Deleted);
        Assert.Equal(put.Header.Revision, await Api.RevisionAsync());
    }

    [Fact]
    public async Task Nested_transactions_decide_their_branches_on_the_state_before_the_outer_one()
    {
        var p = Prefix();
        var start = await Api.PutAsync(p + "a", "1");

        var inner = Op.Txn(
            [Cmp.Value(p + "a", Result.Equal, "1")], // "a" is still "1" for the compare, though the outer puts "2" first
            [Op.Put(p + "inner-then", "x"), Op.Get(p + "a")],
            [Op.Put(p + "inner-else", "y")]);
        var txn = await Api.TxnAsync(Op.Txn([Cmp.Version(p + "a", Result.Equal, 1)], [Op.Put(p + "a", "2"), Op.Txn(inner)]));

        Assert.True(txn.Succeeded);
        Assert.Equal(start.Header.Revision + 1, txn.Header.Revision);
        var nested = txn.Responses[1].ResponseTxn;
        Assert.True(nested.Succeeded);
        Assert.Equal(0, nested.Header.Revision); // etcd leaves the header of a nested response empty
        Assert.Equal(0UL, nested.Header.ClusterId);
        Assert.Equal(txn.Header.Revision, nested.Responses[0].ResponsePut.Header.Revision);
        Assert.Equal("2", S(nested.Responses[1].ResponseRange.Kvs[0].Value));
        Assert.Equal(txn.Header.Revision, (await Api.GetAsync(p + "inner-then")).Kvs[0].ModRevision);
        Assert.Empty((await Api.GetAsync(p + "inner-else")).Kvs);
    }

    [Fact]
    public async Task A_nested_transaction_can_take_its_failure_branch_inside_the_outer_failure_branch()
    {
        var p = Prefix();
        var inner = Op.Txn([Cmp.Version(p + "x", Result.Greater, 0)], [Op.Put(p + "then", "1")], [Op.Put(p + "else", "1")]);

        var txn = await Api.TxnAsync(Op.Txn([Cmp.Version(p + "x", Result.Greater, 0)], [], [Op.Txn(inner)]));

        Assert.False(txn.Succeeded);
        Assert.False(txn.Responses[0].ResponseTxn.Succeeded);
        Assert.Single((await Api.GetAsync(p + "else")).Kvs);
        Assert.Empty((await Api.GetAsync(p + "then")).Kvs);
    }

    [Fact]
    public async Task A_transaction_of_many_puts_writes_them_all_at_one_revision_with_increasing_versions()
    {
        var p = Prefix();
        await Api.PutAsync(p + "000", "old");
        var ops = Enumerable.Range(0, 128).Select(i => Op.Put(p + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture), "v")).ToList();

        var txn = await Api.TxnAsync(Op.Txn([], ops));

        var range = await Api.GetPrefixAsync(p);
        Assert.Equal(128, range.Count);
        Assert.All(range.Kvs, kv => Assert.Equal(txn.Header.Revision, kv.ModRevision));
        Assert.Equal(2, range.Kvs[0].Version);
        Assert.All(range.Kvs.Skip(1), kv => Assert.Equal(1, kv.Version));
    }

    [Theory]
    [InlineData(129, 0, 0)]
    [InlineData(0, 129, 0)]
    [InlineData(0, 0, 129)]
    public async Task More_than_128_operations_in_a_branch_or_compares_is_InvalidArgument(int compares, int success, int failure)
    {
        var p = Prefix();
        var txn = Op.Txn(
            Enumerable.Range(0, compares).Select(i => Cmp.Version(p + i, Result.Equal, 0)),
            Enumerable.Range(0, success).Select(i => Op.Put(p + i, "v")),
            Enumerable.Range(0, failure).Select(i => Op.Put(p + i, "v")));

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: too many operations in txn request", () => Api.TxnAsync(txn));
    }

    [Fact]
    public async Task Nested_operations_count_against_the_limit_of_the_outer_transaction()
    {
        var p = Prefix();
        var inner = Op.Txn([], Enumerable.Range(0, 100).Select(i => Op.Get(p + "inner" + i)));
        var outer = Op.Txn([], [.. Enumerable.Range(0, 50).Select(i => Op.Get(p + i)), Op.Txn(inner)]);
        var fits = Op.Txn([], [.. Enumerable.Range(0, 20).Select(i => Op.Get(p + i)), Op.Txn(inner)]);

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: too many operations in txn request", () => Api.TxnAsync(outer));
        Assert.True((await Api.TxnAsync(fits)).Succeeded);
    }

    public static TheoryData<string> DuplicateKeyCases => new()
    {
        "put twice",
        "put and delete of the key",
        "put inside a deleted prefix",
        "put in a nested txn and outside",
        "put in a nested txn inside a deleted range",
        "put in two nested txns",
    };

    [Theory]
    [MemberData(nameof(DuplicateKeyCases))]
    public async Task Writing_a_key_twice_in_one_branch_is_InvalidArgument(string name)
    {
        var p = Prefix() + name.Replace(' ', '-') + "/";
        var k = p + "k";
        List<RequestOp> ops = name switch
        {
            "put twice" => [Op.Put(k, "1"), Op.Put(k, "2")],
            "put and delete of the key" => [Op.Delete(k), Op.Put(k, "2")],
            "put inside a deleted prefix" => [Op.Put(k, "2"), Op.DeletePrefix(p)],
            "put in a nested txn and outside" => [Op.Put(k, "1"), Op.Txn(Op.Txn([], [Op.Put(k, "2")]))],
            "put in a nested txn inside a deleted range" => [Op.DeletePrefix(p), Op.Txn(Op.Txn([], [], [Op.Put(k, "2")]))],
            _ => [Op.Txn(Op.Txn([], [Op.Put(k, "1")])), Op.Txn(Op.Txn([], [Op.Put(k, "2")]))],
        };

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request", () => Api.TxnAsync(Op.Txn([], ops)));
        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request", () => Api.TxnAsync(Op.Txn([], [], ops)));
        Assert.Empty((await Api.GetPrefixAsync(p)).Kvs);
    }

    [Fact]
    public async Task The_same_key_in_both_branches_of_a_nested_txn_or_of_the_outer_one_is_allowed()
    {
        var p = Prefix();
        var k = p + "k";

        var nested = await Api.TxnAsync(Op.Txn([], [Op.Txn(Op.Txn([Cmp.Version(k, Result.Equal, 0)], [Op.Put(k, "then")], [Op.Put(k, "else")]))]));
        var branches = await Api.TxnAsync(Op.Txn([Cmp.Version(k, Result.Equal, 0)], [Op.Put(k, "then")], [Op.Put(k, "else")]));
        var readsAndDeletes = await Api.TxnAsync(Op.Txn([], [Op.Get(k), Op.Delete(k), Op.DeletePrefix(p), Op.Get(k)]));

        Assert.True(nested.Responses[0].ResponseTxn.Succeeded);
        Assert.False(branches.Succeeded);
        Assert.Equal(1, readsAndDeletes.Responses[1].ResponseDeleteRange.Deleted);
        Assert.Equal(0, readsAndDeletes.Responses[2].ResponseDeleteRange.Deleted);
    }

    [Fact]
    public async Task A_put_after_a_from_key_delete_in_one_branch_is_not_a_duplicate_as_etcd_checks_it()
    {
        // etcd 3.4 makes the delete's "\0" range end the interval [key, "\0"), which holds no key,
        // so a put after it in the same branch passes the duplicate check; the delete then the put
        // apply. The keys sort after every other test's keys ("\uffff"), so the delete takes only ours.
        var p = "\uffff" + Prefix();
        await Api.PutAsync(p + "b", "old");

        var txn = await Api.TxnAsync(Op.Txn([], [Op.Delete(new DeleteRangeRequest { Key = B(p + "a"), RangeEnd = FromKey }), Op.Put(p + "c", "new")]));

        Assert.True(txn.Succeeded);
        Assert.Equal(1, txn.Responses[0].ResponseDeleteRange.Deleted);
        Assert.Equal([p + "c"], (await Api.GetPrefixAsync(p)).Kvs.Select(kv => S(kv.Key)));
    }

    public static TheoryData<string, TxnRequest> EmptyKeyCases => new()
    {
        { "compare", Op.Txn([new Compare { Target = Compare.Types.CompareTarget.Version }], []) },
        { "range", Op.Txn([], [Op.Get(new RangeRequest())]) },
        { "put", Op.Txn([], [Op.Put(new PutRequest { Value = B("v") })]) },
        { "delete", Op.Txn([], [], [Op.Delete(new DeleteRangeRequest())]) },
        { "nested put", Op.Txn([], [Op.Txn(Op.Txn([], [Op.Put(new PutRequest())]))]) },
    };

    [Theory]
    [MemberData(nameof(EmptyKeyCases))]
    public async Task An_empty_key_anywhere_in_a_txn_is_InvalidArgument(string where, TxnRequest txn)
    {
        _ = where;

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: key is not provided", () => Api.TxnAsync(txn));
    }

    [Fact]
    public async Task An_empty_operation_is_InvalidArgument_key_not_found()
    {
        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: key not found", () => Api.TxnAsync(Op.Txn([], [new RequestOp()])));
    }

    [Fact]
    public async Task A_put_with_a_missing_lease_fails_the_whole_txn_with_NotFound()
    {
        var p = Prefix();
        var before = await Api.RevisionAsync();

        await Expect.RpcErrorAsync(StatusCode.NotFound, "etcdserver: requested lease not found",
            () => Api.TxnAsync(Op.Txn([], [Op.Put(p + "a", "1"), Op.Put(p + "b", "1", lease: 0x7fff_0000_4321)])));

        Assert.Empty((await Api.GetPrefixAsync(p)).Kvs);
        Assert.Equal(before, await Api.RevisionAsync());
    }

    [Fact]
    public async Task A_put_with_ignore_value_of_a_missing_key_fails_the_whole_txn()
    {
        var p = Prefix();

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, "etcdserver: key not found",
            () => Api.TxnAsync(Op.Txn([], [Op.Put(p + "a", "1"), Op.Put(new PutRequest { Key = B(p + "b"), IgnoreValue = true })])));

        Assert.Empty((await Api.GetPrefixAsync(p)).Kvs);
    }

    [Fact]
    public async Task Operations_of_the_branch_not_taken_are_not_checked_against_the_store()
    {
        var p = Prefix();

        var txn = await Api.TxnAsync(Op.Txn([], [Op.Put(p + "a", "1")], [Op.Put(p + "b", "1", lease: 0x7fff_0000_4321), Op.Get(p + "b", revision: long.MaxValue / 2)]));

        Assert.True(txn.Succeeded);
    }

    [Fact]
    public async Task A_range_at_a_negative_revision_in_a_txn_is_checked_as_etcd_checks_it()
    {
        // etcd checks a txn's ranges against the first revision still readable (-1 before any
        // compaction), so a negative revision below it counts as compacted.
        var p = Prefix();
        await Api.PutAsync(p + "k", "v");

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted",
            () => Api.TxnAsync(Op.Txn([], [Op.Get(p + "k", revision: -5)])));
    }

    [Fact]
    public async Task A_compare_from_a_key_on_covers_every_later_key()
    {
        // Keys after "\uffff" belong to this test alone.
        var p = "\uffff" + Prefix();
        await Api.PutAsync(p + "a", "1");
        await Api.PutAsync(p + "b", "1");
        var fromB = Cmp.Version(p + "b", Result.Equal, 1);
        fromB.RangeEnd = FromKey;
        var fromA = Cmp.Value(p + "a", Result.Equal, "1");
        fromA.RangeEnd = FromKey;

        Assert.True((await Api.TxnAsync(Op.Txn([fromB], []))).Succeeded);
        Assert.True((await Api.TxnAsync(Op.Txn([fromA], []))).Succeeded);
        await Api.PutAsync(p + "c", "2");
        Assert.False((await Api.TxnAsync(Op.Txn([fromA], []))).Succeeded);
        await Api.DeleteAsync(new DeleteRangeRequest { Key = B(p), RangeEnd = FromKey });
    }

    [Fact]
    public async Task An_empty_value_compares_equal_to_an_empty_operand()
    {
        var p = Prefix();
        await Api.PutAsync(new PutRequest { Key = B(p + "k") });

        var txn = await Api.TxnAsync(Op.Txn([Cmp.Value(p + "k", Result.Equal, "")], []));

        Assert.True(txn.Succeeded);
    }

    [Fact]
    public async Task A_range_at_a_future_revision_fails_the_whole_txn()
    {
        var p = Prefix();
        var current = await Api.RevisionAsync();

        await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision",
            () => Api.TxnAsync(Op.Txn([], [Op.Put(p + "a", "1"), Op.Get(p + "a", revision: current + 10)])));

        Assert.Empty((await Api.GetPrefixAsync(p)).Kvs);
    }
}

public sealed class TxnContractOnMiniKube(MiniKubeFixture server) : TxnContract(server), IClassFixture<MiniKubeFixture>;

public sealed class TxnContractOnEtcd(EtcdFixture server) : TxnContract(server), IClassFixture<EtcdFixture>;
