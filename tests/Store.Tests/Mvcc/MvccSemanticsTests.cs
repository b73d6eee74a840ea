using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Backend;
using static MiniKube.Store.Tests.StoreHarness;

namespace MiniKube.Store.Tests.Mvcc;

/// <summary>etcd's MVCC semantics, on the in-memory backend (the same expectations run against real etcd in the contract suite).</summary>
public sealed class MvccSemanticsTests : IAsyncLifetime
{
    private StoreHarness _store = null!;

    public Task InitializeAsync()
    {
        _store = new StoreHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Revisions_versions_and_create_revisions_follow_etcd()
    {
        Assert.Equal(1, _store.Get("a").Header.Revision);
        Assert.Equal(2, (await _store.PutAsync("a", "1")).Header.Revision);
        Assert.Equal(3, (await _store.PutAsync("a", "2")).Header.Revision);
        var kv = _store.Get("a").Kvs.Single();
        Assert.Equal((2L, 3L, 2L), (kv.CreateRevision, kv.ModRevision, kv.Version));

        var deleted = await _store.DeleteAsync("a");
        Assert.Equal((1L, 4L), (deleted.Deleted, deleted.Header.Revision));
        Assert.Empty(_store.Get("a").Kvs);

        await _store.PutAsync("a", "3");
        kv = _store.Get("a").Kvs.Single();
        Assert.Equal((5L, 5L, 1L), (kv.CreateRevision, kv.ModRevision, kv.Version));
    }

    [Fact]
    public async Task Writes_that_change_nothing_take_no_revision()
    {
        await _store.PutAsync("a", "1");
        var deleted = await _store.DeleteAsync("missing");
        Assert.Equal((0L, 2L), (deleted.Deleted, deleted.Header.Revision));
        var txn = await _store.TxnAsync(new TxnRequest
        {
            Compare = { new Compare { Key = B("a"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = B("other") } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = B("a"), Value = B("x") } } },
        });
        Assert.False(txn.Succeeded);
        Assert.Equal(2, txn.Header.Revision);
    }

    [Fact]
    public async Task Reads_at_past_revisions_see_the_past_and_future_revisions_fail()
    {
        await _store.PutAsync("k", "v1");
        await _store.PutAsync("k", "v2");
        await _store.DeleteAsync("k");
        Assert.Equal("v1", S(_store.Get("k", revision: 2).Kvs.Single().Value));
        Assert.Equal("v2", S(_store.Get("k", revision: 3).Kvs.Single().Value));
        Assert.Empty(_store.Get("k", revision: 4).Kvs);
        Assert.Equal(4, _store.Get("k", revision: 2).Header.Revision); // the header reports the current revision

        var error = Assert.Throws<RpcException>(() => Read(() => _store.Get("k", revision: 5)));
        Assert.Equal((StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision"), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Prefix_ranges_limits_and_counts()
    {
        foreach (var key in new[] { "/a/1", "/a/2", "/a/3", "/b/1", "/a" })
        {
            await _store.PutAsync(key, key);
        }

        var prefix = _store.Get("/a/", Prefix("/a/"));
        Assert.Equal(["/a/1", "/a/2", "/a/3"], prefix.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(3, prefix.Count);

        var limited = _store.Get("/a/", Prefix("/a/"), limit: 2);
        Assert.Equal(2, limited.Kvs.Count);
        Assert.Equal(3, limited.Count);
        Assert.True(limited.More);

        var fromKey = _store.Server.Applier.Range(new RangeRequest { Key = B("/a/3"), RangeEnd = Google.Protobuf.ByteString.CopyFrom(0) });
        Assert.Equal(["/a/3", "/b/1"], fromKey.Kvs.Select(kv => S(kv.Key)));

        var countOnly = _store.Server.Applier.Range(new RangeRequest { Key = B("/"), RangeEnd = B("0"), CountOnly = true });
        Assert.Equal((0, 5L), (countOnly.Kvs.Count, countOnly.Count));

        var keysOnly = _store.Server.Applier.Range(new RangeRequest { Key = B("/a"), KeysOnly = true });
        Assert.True(keysOnly.Kvs.Single().Value.IsEmpty);
    }

    [Fact]
    public async Task Sorting_and_revision_filters_apply_before_the_limit()
    {
        await _store.PutAsync("c", "1");
        await _store.PutAsync("b", "2");
        await _store.PutAsync("a", "3");
        var byCreateDescending = _store.Server.Applier.Range(new RangeRequest
        {
            Key = B("a"),
            RangeEnd = B("z"),
            Limit = 2,
            SortTarget = RangeRequest.Types.SortTarget.Create,
            SortOrder = RangeRequest.Types.SortOrder.Descend,
        });
        Assert.Equal(["a", "b"], byCreateDescending.Kvs.Select(kv => S(kv.Key)));
        Assert.True(byCreateDescending.More);

        var recent = _store.Server.Applier.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), MinModRevision = 3 });
        Assert.Equal(["a", "b"], recent.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(3, recent.Count); // count ignores filters, as in etcd

        var byValue = _store.Server.Applier.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), SortTarget = RangeRequest.Types.SortTarget.Value });
        Assert.Equal(["c", "b", "a"], byValue.Kvs.Select(kv => S(kv.Key))); // a non-key target sorts ascending by default
    }

    [Fact]
    public async Task A_transaction_reads_its_own_writes_and_takes_one_revision()
    {
        await _store.PutAsync("x", "0");
        var txn = await _store.TxnAsync(new TxnRequest
        {
            Compare = { new Compare { Key = B("x"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 1 } },
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = B("x"), Value = B("1") } },
                new RequestOp { RequestPut = new PutRequest { Key = B("y"), Value = B("1") } },
                new RequestOp { RequestRange = new RangeRequest { Key = B("x"), RangeEnd = B("z") } },
                new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("w") } },
            },
        });
        Assert.True(txn.Succeeded);
        Assert.Equal(3, txn.Header.Revision);
        var range = txn.Responses[2].ResponseRange;
        Assert.Equal(["x=1", "y=1"], range.Kvs.Select(kv => $"{S(kv.Key)}={S(kv.Value)}"));
        Assert.All(range.Kvs, kv => Assert.Equal(3, kv.ModRevision));
        Assert.Equal(3, range.Header.Revision);
    }

    [Fact]
    public async Task Compares_on_missing_keys_and_ranges_behave_as_in_etcd()
    {
        await _store.PutAsync("r/1", "a");
        await _store.PutAsync("r/2", "b");
        async Task<bool> Succeeds(Compare compare) => (await _store.TxnAsync(new TxnRequest { Compare = { compare } })).Succeeded;

        // A missing key compares as a zero key-value, except on its value, which always fails.
        Assert.True(await Succeeds(new Compare { Key = B("nope"), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 }));
        Assert.False(await Succeeds(new Compare { Key = B("nope"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = Google.Protobuf.ByteString.Empty }));
        // Over a range, every key must satisfy the compare.
        Assert.True(await Succeeds(new Compare { Key = B("r/"), RangeEnd = B(Prefix("r/")), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Greater, Value = B("0") }));
        Assert.False(await Succeeds(new Compare { Key = B("r/"), RangeEnd = B(Prefix("r/")), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = B("a") }));
    }

    [Fact]
    public async Task Nested_transactions_decide_on_the_state_before_the_outer_one()
    {
        var txn = await _store.TxnAsync(new TxnRequest
        {
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = B("k"), Value = B("outer") } },
                new RequestOp
                {
                    RequestTxn = new TxnRequest
                    {
                        // k does not exist before the outer transaction, so this compare holds even though the outer put came first.
                        Compare = { new Compare { Key = B("k"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 0 } },
                        Success = { new RequestOp { RequestPut = new PutRequest { Key = B("nested"), Value = B("yes") } } },
                    },
                },
            },
        });
        Assert.True(txn.Responses[1].ResponseTxn.Succeeded);
        Assert.Equal("yes", S(_store.Get("nested").Kvs.Single().Value));
    }

    [Fact]
    public async Task Put_with_ignore_value_keeps_the_value_and_needs_the_key()
    {
        await _store.PutAsync("k", "v");
        await _store.Server.WriteAsync<PutResponse>(new Internal.InternalRequest { Put = new PutRequest { Key = B("k"), IgnoreValue = true } }, default);
        Assert.Equal("v", S(_store.Get("k").Kvs.Single().Value));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _store.Server.WriteAsync<PutResponse>(new Internal.InternalRequest { Put = new PutRequest { Key = B("missing"), IgnoreValue = true } }, default));
        Assert.Equal("etcdserver: key not found", error.Status.Detail);
    }

    [Fact]
    public async Task Compaction_keeps_reads_at_or_above_it_and_removes_older_versions()
    {
        await _store.PutAsync("a", "1");  // 2
        await _store.PutAsync("a", "2");  // 3
        await _store.PutAsync("b", "1");  // 4
        await _store.DeleteAsync("b");    // 5
        await _store.PutAsync("a", "3");  // 6
        var hashBefore = _store.Server.Mvcc.HashKV(6);

        await _store.CompactAsync(5);
        Assert.Equal("2", S(_store.Get("a", revision: 5).Kvs.Single().Value));
        Assert.Empty(_store.Get("b", revision: 5).Kvs);
        Assert.Equal("3", S(_store.Get("a").Kvs.Single().Value));
        var error = Assert.Throws<RpcException>(() => Read(() => _store.Get("a", revision: 4)));
        Assert.Equal((StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted"), (error.StatusCode, error.Status.Detail));
        var again = await Assert.ThrowsAsync<RpcException>(() => _store.CompactAsync(5));
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", again.Status.Detail);
        var future = await Assert.ThrowsAsync<RpcException>(() => _store.CompactAsync(7));
        Assert.Equal("etcdserver: mvcc: required revision is a future revision", future.Status.Detail);

        // a@2 and b's versions are gone; a@3 (the newest at 5) and a@6 remain.
        using var it = _store.Backend.Iterate(BackendTable.Keys);
        var remaining = 0;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            remaining++;
        }

        Assert.Equal(2, remaining);
        Assert.Equal(_store.Server.Mvcc.HashKV(6).Hash, _store.Server.Mvcc.HashKV(0).Hash);
        Assert.NotEqual(hashBefore.Hash, _store.Server.Mvcc.HashKV(6).Hash); // compaction changes what is hashed
    }

    [Fact]
    public async Task The_hash_does_not_depend_on_how_far_physical_compaction_got()
    {
        var logical = new StoreHarness();
        await using var _ = logical;
        foreach (var store in new[] { _store, logical })
        {
            for (var i = 0; i < 20; i++)
            {
                await store.PutAsync($"k{i % 5}", $"v{i}");
            }

            await store.DeleteAsync("k1");
        }

        await _store.CompactAsync(15, physical: true);

        // The other store only marks the compaction: every old version is still on disk.
        logical.Server.Mvcc.CompactionScheduled(15);
        Assert.Equal(_store.Server.Mvcc.HashKV(0).Hash, logical.Server.Mvcc.HashKV(0).Hash);
        Assert.Equal(_store.Server.Mvcc.HashKV(18).Hash, logical.Server.Mvcc.HashKV(18).Hash);
    }

    /// <summary>Reads throw the store's own exceptions; the services map them. Map them here too.</summary>
    private static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is MiniKube.Store.Mvcc.MvccException)
        {
            throw MiniKube.Store.Server.EtcdErrors.ToRpc(e);
        }
    }
}
