using MiniKube.Etcd.Client.Tests.Infrastructure;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>KV: reads, writes, transactions, compaction, pagination, errors.</summary>
public abstract partial class EtcdClientContractTests<TFixture>
{
    [Fact]
    public async Task Put_then_Get_returns_the_value_with_its_revisions_and_PrevKv_the_old_one()
    {
        await using var client = NewClient();
        var key = NewPrefix("kv") + "k";

        var first = await client.PutAsync(key, "v1");
        var second = await client.PutAsync(key, "v2", new PutOptions { PrevKv = true });
        var got = await client.GetAsync(key);

        var kv = Assert.Single(got.Kvs);
        Assert.Equal("v2", kv.Value.ToStringUtf8());
        Assert.Equal((first.Header.Revision, second.Header.Revision, 2L), (kv.CreateRevision, kv.ModRevision, kv.Version));
        Assert.Equal("v1", second.PrevKv.Value.ToStringUtf8());
        Assert.Equal(second.Header.Revision, got.Header.Revision);
        Assert.Empty((await client.GetAsync(key + "-missing")).Kvs);
    }

    [Fact]
    public async Task Get_at_a_past_revision_returns_the_key_as_it_was()
    {
        await using var client = NewClient();
        var key = NewPrefix("kv-rev") + "k";
        var first = await client.PutAsync(key, "old");
        await client.PutAsync(key, "new");
        await client.DeleteAsync(key);

        var then = await client.GetAsync(key, new GetOptions { Revision = first.Header.Revision });

        Assert.Equal("old", Assert.Single(then.Kvs).Value.ToStringUtf8());
        Assert.Empty((await client.GetAsync(key)).Kvs);
    }

    [Theory]
    [InlineData("key alone", "b")]
    [InlineData("prefix", "d/1 d/2")]
    [InlineData("range end", "b c d/1")]
    [InlineData("from key", "d/2 e")]
    [InlineData("limit", "a b")]
    [InlineData("descending by key", "e d/2 d/1 c b a")]
    [InlineData("descending by mod revision", "b e d/2 d/1 c a")]
    [InlineData("ascending by value", "e d/2 b a c d/1")]
    [InlineData("keys only", "a b c d/1 d/2 e")]
    [InlineData("count only", "")]
    public async Task Get_reads_the_range_its_options_describe(string @case, string expected)
    {
        await using var client = NewClient();
        var p = NewPrefix("range");
        foreach (var (key, value) in new[] { ("a", "4"), ("b", "3"), ("c", "5"), ("d/1", "6"), ("d/2", "2"), ("e", "1"), ("b", "3") })
        {
            await client.PutAsync(p + key, value);
        }

        var (key1, options) = @case switch
        {
            "key alone" => ("b", new GetOptions()),
            "prefix" => ("d/", new GetOptions { Prefix = true }),
            "range end" => ("b", new GetOptions { RangeEnd = Utf8(p + "d/2") }),
            "from key" => ("d/2", new GetOptions { FromKey = true }),
            "limit" => ("", new GetOptions { Prefix = true, Limit = 2 }),
            "descending by key" => ("", new GetOptions { Prefix = true, SortBy = SortTarget.Key, Order = SortOrder.Descend }),
            "descending by mod revision" => ("", new GetOptions { Prefix = true, SortBy = SortTarget.ModRevision, Order = SortOrder.Descend }),
            "ascending by value" => ("", new GetOptions { Prefix = true, SortBy = SortTarget.Value, Order = SortOrder.Ascend }),
            "keys only" => ("", new GetOptions { Prefix = true, KeysOnly = true }),
            "count only" => ("", new GetOptions { Prefix = true, CountOnly = true }),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        var response = await client.GetAsync(p + key1, options);

        // From-key ranges run to the end of the keyspace: keep only this test's keys.
        var keys = response.Kvs.Where(kv => kv.Key.ToStringUtf8().StartsWith(p, StringComparison.Ordinal)).Select(kv => kv.Key.ToStringUtf8()[p.Length..]);
        Assert.Equal(expected, string.Join(' ', keys));
        switch (@case)
        {
            case "limit":
                Assert.True(response.More);
                Assert.Equal(6, response.Count);
                break;
            case "keys only":
                Assert.All(response.Kvs, kv => Assert.True(kv.Value.IsEmpty));
                break;
            case "count only":
                Assert.Equal(6, response.Count);
                break;
        }
    }

    [Fact]
    public async Task Delete_removes_a_prefix_and_returns_the_deleted_pairs_with_PrevKv()
    {
        await using var client = NewClient();
        var p = NewPrefix("del");
        await client.PutAsync(p + "a", "1");
        await client.PutAsync(p + "b", "2");
        await client.PutAsync(p[..^1] + "-sibling", "stays");

        var deleted = await client.DeleteAsync(p, new DeleteOptions { Prefix = true, PrevKv = true });

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(["1", "2"], deleted.PrevKvs.Select(kv => kv.Value.ToStringUtf8()));
        Assert.Equal(0, (await client.GetAsync(p, new GetOptions { Prefix = true, CountOnly = true })).Count);
        Assert.Single((await client.GetAsync(p[..^1] + "-sibling")).Kvs);
    }

    [Fact]
    public async Task Txn_creates_only_if_absent_and_updates_only_at_the_expected_revision()
    {
        await using var client = NewClient();
        var key = NewPrefix("txn") + "pod";

        // The apiserver's create: put if the key does not exist.
        var created = await client.Txn().If(Cmp.ModRevision(key).Equal(0)).Then(Op.Put(key, "v1")).CommitAsync();
        var again = await client.Txn().If(Cmp.ModRevision(key).Equal(0)).Then(Op.Put(key, "v1-again")).Else(Op.Get(key)).CommitAsync();

        Assert.True(created.Succeeded);
        Assert.False(again.Succeeded);
        var current = Assert.Single(again.Responses).ResponseRange.Kvs[0];
        Assert.Equal("v1", current.Value.ToStringUtf8());

        // The apiserver's update: compare-and-swap on the revision it read; on conflict, get the latest.
        var rv = current.ModRevision;
        var updated = await client.Txn().If(Cmp.ModRevision(key).Equal(rv)).Then(Op.Put(key, "v2")).Else(Op.Get(key)).CommitAsync();
        var stale = await client.Txn().If(Cmp.ModRevision(key).Equal(rv)).Then(Op.Put(key, "v3")).Else(Op.Get(key)).CommitAsync();

        Assert.True(updated.Succeeded);
        Assert.Equal(updated.Header.Revision, updated.Responses[0].ResponsePut.Header.Revision);
        Assert.False(stale.Succeeded);
        Assert.Equal("v2", stale.Responses[0].ResponseRange.Kvs[0].Value.ToStringUtf8());

        // Delete with a precondition, and value comparisons.
        var wrongValue = await client.Txn().If(Cmp.Value(key).Equal("v1")).Then(Op.Delete(key)).CommitAsync();
        var deleted = await client.Txn().If(Cmp.Value(key).Equal("v2"), Cmp.Version(key).Greater(1)).Then(Op.Delete(key, new DeleteOptions { PrevKv = true })).CommitAsync();

        Assert.False(wrongValue.Succeeded);
        Assert.True(deleted.Succeeded);
        Assert.Equal("v2", deleted.Responses[0].ResponseDeleteRange.PrevKvs[0].Value.ToStringUtf8());
        Assert.Empty((await client.GetAsync(key)).Kvs);
    }

    [Fact]
    public async Task Txn_parts_must_come_in_order_and_once()
    {
        await using var client = NewClient();
        var txn = client.Txn().If().Then();

        Assert.Throws<InvalidOperationException>(() => txn.If());
        Assert.Throws<InvalidOperationException>(() => txn.Then());
        txn.Else();
        Assert.Throws<InvalidOperationException>(() => txn.Else());
    }

    [Fact]
    public async Task Compaction_makes_older_revisions_unreadable_and_keeps_the_compacted_one()
    {
        await using var client = NewClient();
        var key = NewPrefix("compact") + "k";
        var r1 = (await client.PutAsync(key, "v1")).Header.Revision;
        var r2 = (await client.PutAsync(key, "v2")).Header.Revision;
        await client.PutAsync(key, "v3");

        await client.CompactAsync(r2, physical: true);

        var old = await Assert.ThrowsAsync<EtcdCompactedException>(() => client.GetAsync(key, new GetOptions { Revision = r1 }));
        Assert.True(old.IsCompacted);
        Assert.Equal(StatusCode.OutOfRange, old.StatusCode);
        Assert.Equal("v2", (await client.GetAsync(key, new GetOptions { Revision = r2 })).Kvs[0].Value.ToStringUtf8());
        var twice = await Assert.ThrowsAsync<EtcdCompactedException>(() => client.CompactAsync(r1));
        Assert.Equal(EtcdErrors.Compacted, twice.Message);
    }

    [Fact]
    public async Task Pages_read_at_the_first_pages_revision_add_up_to_that_snapshot_despite_later_writes()
    {
        var seed = TestSeed.Get(1337);
        var random = new Random(seed);
        await using var client = NewClient();
        var p = NewPrefix("pages");
        var names = Enumerable.Range(0, 25).Select(i => $"{i:D2}-{random.Next(1000)}").OrderBy(_ => random.Next()).ToList();
        foreach (var name in names)
        {
            await client.PutAsync(p + name, "v-" + name);
        }

        var expected = names.Order(StringComparer.Ordinal).Select(n => $"{n}=v-{n}").ToList();
        var end = EtcdKeys.PrefixEnd(Utf8(p));
        var page = await client.GetAsync(p, new GetOptions { Prefix = true, Limit = 10 });
        var revision = page.Header.Revision;
        var seen = page.Kvs.Select(kv => $"{kv.Key.ToStringUtf8()[p.Length..]}={kv.Value.ToStringUtf8()}").ToList();

        // Writes after the first page must not show in the later ones.
        await client.PutAsync(p + "00-new", "new");
        await client.DeleteAsync(p + names.Order(StringComparer.Ordinal).Last());
        await client.PutAsync(p + names.Order(StringComparer.Ordinal).ElementAt(15), "changed");

        var pages = 1;
        while (page.More)
        {
            var next = Google.Protobuf.ByteString.CopyFrom([.. page.Kvs[^1].Key.Span, 0]);
            page = await client.GetAsync(next, new GetOptions { RangeEnd = end, Revision = revision, Limit = 10 });
            seen.AddRange(page.Kvs.Select(kv => $"{kv.Key.ToStringUtf8()[p.Length..]}={kv.Value.ToStringUtf8()}"));
            pages++;
        }

        Assert.True(expected.SequenceEqual(seen), $"seed {seed}: pages at revision {revision} differ from the snapshot:\nexpected {string.Join(", ", expected)}\nseen     {string.Join(", ", seen)}");
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Etcd_errors_arrive_as_EtcdException_with_etcds_code_and_message()
    {
        await using var client = NewClient();
        var key = NewPrefix("errors") + "k";
        var current = (await client.PutAsync(key, "v")).Header.Revision;

        var empty = await Assert.ThrowsAsync<EtcdException>(() => client.PutAsync("", "no key"));
        var noLease = await Assert.ThrowsAsync<EtcdException>(() => client.PutAsync(key, "v", new PutOptions { Lease = 0x7e57 }));
        var future = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync(key, new GetOptions { Revision = current + 1000 }));
        var tooLarge = await Assert.ThrowsAsync<EtcdException>(() => client.PutAsync(Utf8(key), Google.Protobuf.ByteString.CopyFrom(new byte[1600 * 1024])));
        var ignoreMissing = await Assert.ThrowsAsync<EtcdException>(() => client.PutAsync(key + "-missing", "", new PutOptions { IgnoreValue = true }));
        var tooMany = await Assert.ThrowsAsync<EtcdException>(() => client.Txn().Then([.. Enumerable.Range(0, 129).Select(i => Op.Get(key + i))]).CommitAsync());
        var duplicate = await Assert.ThrowsAsync<EtcdException>(() => client.Txn().Then(Op.Put(key, "1"), Op.Put(key, "2")).CommitAsync());
        var futureCompaction = await Assert.ThrowsAsync<EtcdException>(() => client.CompactAsync(current + 1000));
        var newKey = await client.PutAsync(key + "-new", "v", new PutOptions { PrevKv = true });

        Assert.True(empty.IsEmptyKey, empty.Message);
        Assert.Equal((StatusCode.InvalidArgument, "etcdserver: key is not provided"), (empty.StatusCode, empty.Message));
        Assert.True(noLease.IsLeaseNotFound, noLease.Message);
        Assert.True(future.IsFutureRevision, future.Message);
        Assert.True(tooLarge.IsRequestTooLarge, tooLarge.Message);
        Assert.True(ignoreMissing.IsKeyNotFound, ignoreMissing.Message);
        Assert.True(tooMany.IsTooManyOps, tooMany.Message);
        Assert.True(duplicate.IsDuplicateKey, duplicate.Message);
        Assert.True(futureCompaction.IsFutureRevision, futureCompaction.Message);
        Assert.Null(newKey.PrevKv);
    }

    [Fact]
    public async Task Prefix_and_from_key_options_are_exclusive()
    {
        await using var client = NewClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync("/k", new GetOptions { Prefix = true, FromKey = true }));
        Assert.Throws<ArgumentException>(() => client.Watch("/b", new WatchOptions { RangeEnd = Utf8("/a") }));
    }

    [Theory]
    [InlineData("abc", "abd")]
    [InlineData("a\u00ff", "b")]
    [InlineData("", "\0")]
    public void PrefixEnd_is_the_first_key_after_every_key_with_the_prefix(string prefix, string end)
    {
        var bytes = prefix.Select(c => (byte)c).ToArray();

        var actual = EtcdKeys.PrefixEnd(Google.Protobuf.ByteString.CopyFrom(bytes));

        Assert.Equal(end.Select(c => (byte)c).ToArray(), actual.ToByteArray());
    }
}
