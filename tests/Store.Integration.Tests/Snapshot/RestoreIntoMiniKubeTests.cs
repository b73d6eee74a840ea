using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Etcdctl;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Store.Snapshot;
using MiniKube.Testing;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Snapshot;

/// <summary>
/// Disaster recovery into MiniKube: a snapshot saved with the real etcdctl, from MiniKube or from
/// a real etcd 3.4, restored with <see cref="SnapshotRestore"/> (what <c>mkctl etcd snapshot
/// restore</c> runs), and a store started on the restored data directory: every key, its history
/// back to the compaction, the leases and HashKV are those of the server the snapshot came from,
/// under a new cluster identity.
/// </summary>
public sealed class RestoreIntoMiniKubeTests
{
    private const long LeaseId = 0x5eed;

    [Theory]
    [InlineData("minikube")]
    [InlineData("etcd")]
    public async Task Snapshot_restored_into_MiniKube_serves_every_key_history_lease_and_hash_of_the_source(string kind)
    {
        await using IEtcdServer source = kind == "etcd" ? await RealEtcd.StartAsync() : await MiniKubeStore.StartAsync();
        using var sourceChannel = GrpcChannel.ForAddress(source.ClientUrl);
        var api = new EtcdApi(sourceChannel);
        await api.WaitUntilServingAsync();
        var (compactAt, last) = await WriteHistoryAsync(api);

        var directory = TestDirectories.Create("restore");
        try
        {
            var snapshot = Path.Combine(directory, "backup.db");
            var save = await ProcessRunner.RunAsync(EtcdctlTranscript.Binary, ["--endpoints", source.ClientUrl.ToString().TrimEnd('/'), "snapshot", "save", snapshot],
                timeout: TimeSpan.FromSeconds(60), environment: new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });
            Assert.True(save.ExitCode == 0, save.ToString());

            var peer = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
            var result = SnapshotRestore.Run(new SnapshotRestoreOptions
            {
                SnapshotPath = snapshot,
                DataDir = Path.Combine(directory, "data"),
                InitialCluster = $"default={peer.OriginalString.TrimEnd('/')}",
                InitialAdvertisePeerUrls = [peer],
                InitialClusterToken = "restored",
            });
            Assert.Equal((last, compactAt), (result.Data.Revision, result.Data.CompactRevision));

            var client = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
            await using var restoredStore = await ServerProcess.StartAsync("dotnet",
                [MiniKubeStore.StoreAssembly, "--name", "default", "--data-dir", result.DataDir, "--listen-client-urls", client.ToString(),
                 "--listen-peer-urls", peer.ToString(), "--initial-advertise-peer-urls", peer.ToString()], "serving clients on");
            using var restoredChannel = GrpcChannel.ForAddress(client);
            var restored = new EtcdApi(restoredChannel);
            await restored.WaitUntilServingAsync();

            var status = await restored.StatusAsync();
            Assert.Equal(result.Member.Id, status.Header.MemberId);
            Assert.Equal(result.ClusterId, status.Header.ClusterId);
            Assert.NotEqual((await api.StatusAsync()).Header.ClusterId, status.Header.ClusterId);
            Assert.Equal(last, await restored.RevisionAsync());
            for (var revision = compactAt; revision <= last; revision++)
            {
                var expected = await api.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision });
                var actual = await restored.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision });
                Assert.True(expected.Kvs.SequenceEqual(actual.Kvs), $"at revision {revision}: {actual.Kvs} instead of {expected.Kvs}");
            }

            await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted",
                () => restored.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = compactAt - 1 }));

            // What `etcdctl endpoint hashkv` compares: the same number on the source and on the restored member.
            var sourceHash = await api.HashKVAsync(last);
            var restoredHash = await restored.HashKVAsync(last);
            Assert.Equal((sourceHash.Hash, sourceHash.CompactRevision), (restoredHash.Hash, restoredHash.CompactRevision));

            var lease = await restored.TimeToLiveAsync(LeaseId, keys: true);
            Assert.Equal(600, lease.GrantedTTL);
            Assert.Equal(["/registry/leases/x"], lease.Keys.Select(k => k.ToStringUtf8()));

            Assert.Equal(last + 1, (await restored.PutAsync("/registry/pods/default/f", "f1")).Header.Revision);
        }
        finally
        {
            TestDirectories.Delete(directory);
        }
    }

    /// <summary>Puts, a transaction, deletes, a lease with a key, a physical compaction and writes after it.</summary>
    private static async Task<(long CompactAt, long Last)> WriteHistoryAsync(EtcdApi api)
    {
        await api.GrantAsync(600, LeaseId);
        await api.PutAsync("/registry/pods/default/a", "a1");
        await api.PutAsync("/registry/pods/default/b", "b1");
        // In key order: see EtcdKeyBucket on numbering the changes of one transaction.
        await api.TxnAsync(Op.Txn([], [Op.Put("/registry/pods/default/a", "a2"), Op.Delete("/registry/pods/default/b"), Op.Put("/registry/pods/default/c", "c1")]));
        var compactAt = (await api.PutAsync("/registry/leases/x", "held", lease: LeaseId)).Header.Revision;
        await api.PutAsync("/registry/pods/default/c", "c2");
        await api.CompactAsync(compactAt, physical: true);
        await api.TxnAsync(Op.Txn([], [Op.Put("/registry/pods/default/d", "d1"), Op.Put("/registry/pods/default/e\0zero", "e1")]));
        await api.DeleteAsync("/registry/pods/default/c");
        await api.PutAsync("/registry/pods/default/a", "a3");
        return (compactAt, await api.RevisionAsync());
    }
}
