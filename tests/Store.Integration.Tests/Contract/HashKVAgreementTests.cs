using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// HashKV is etcd's own number: a fresh store and a fresh real etcd given the same writes answer
/// the same hash at every revision, before and after a compaction (so `etcdctl endpoint hashkv`
/// can compare MiniKube with etcd, not only MiniKube's members with each other).
/// </summary>
public sealed class HashKVAgreementTests
{
    private const long LeaseId = 0x77;

    [Fact]
    public async Task The_same_writes_give_the_same_hash_at_every_revision_on_both_servers()
    {
        var startStore = MiniKubeStore.StartAsync();
        var startEtcd = RealEtcd.StartAsync();
        await using var store = await startStore;
        await using var etcd = await startEtcd;
        using var storeChannel = GrpcChannel.ForAddress(store.ClientUrl);
        using var etcdChannel = GrpcChannel.ForAddress(etcd.ClientUrl);
        EtcdApi[] servers = [new(storeChannel), new(etcdChannel)];
        foreach (var api in servers)
        {
            await api.WaitUntilServingAsync();
        }

        var compactAt = 0L;
        foreach (var api in servers)
        {
            await api.GrantAsync(600, LeaseId);
            await api.PutAsync("/a", "1");
            await api.PutAsync("/b", "1");
            await api.TxnAsync(Op.Txn([], [Op.Put("/c", "1"), Op.Put("/d", "1")])); // in key order: see EtcdKeyBucket
            await api.PutAsync("/a", "2");
            await api.DeleteAsync("/b");
            await api.PutAsync("/e", "1", lease: LeaseId);
            compactAt = (await api.TxnAsync(Op.Txn([], [Op.Put("/f", "1"), Op.Delete("/c")]))).Header.Revision;
        }

        await AssertSameHashesAsync(servers, 2, compactAt);

        foreach (var api in servers)
        {
            await api.CompactAsync(compactAt - 1, physical: true);
            await api.PutAsync("/a", "3");
            await api.PutAsync("/d", "2");
            await api.DeleteAsync("/e");
        }

        await AssertSameHashesAsync(servers, compactAt, compactAt + 3);
        var current = await Task.WhenAll(servers.Select(api => api.HashKVAsync(0)));
        Assert.Equal(current[1].Hash, current[0].Hash);
        Assert.Equal(current[1].CompactRevision, current[0].CompactRevision);
    }

    private static async Task AssertSameHashesAsync(EtcdApi[] servers, long from, long to)
    {
        var seen = new HashSet<uint>();
        for (var revision = from; revision <= to; revision++)
        {
            var hashes = await Task.WhenAll(servers.Select(api => api.HashKVAsync(revision)));
            Assert.True(hashes[0].Hash == hashes[1].Hash, $"at revision {revision}: MiniKube {hashes[0].Hash}, etcd {hashes[1].Hash}");
            seen.Add(hashes[0].Hash);
        }

        Assert.Equal(to - from + 1, seen.Count); // every revision changed what is hashed
    }
}
