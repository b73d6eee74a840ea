using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Etcdctl;

/// <summary>
/// The Kubernetes docs' backup and restore, across implementations: a snapshot saved from
/// MiniKube with the real etcdctl is an etcd snapshot, so etcdctl restores it and a real etcd
/// 3.4 started from the result serves every key, its history back to the compaction, and leases.
/// </summary>
public sealed class SnapshotRestoreTests
{
    private static readonly Dictionary<string, string> EtcdctlEnvironment = new() { ["ETCDCTL_API"] = "3" };

    [Fact]
    public async Task A_MiniKube_snapshot_restores_into_a_real_etcd_with_history_leases_and_compaction()
    {
        await using var store = await MiniKubeStore.StartAsync();
        using var storeChannel = GrpcChannel.ForAddress(store.ClientUrl);
        var api = new EtcdApi(storeChannel);
        await api.WaitUntilServingAsync();

        const long LeaseId = 0x5eed;
        await api.GrantAsync(600, LeaseId);
        await api.PutAsync("/registry/pods/default/a", "a1");
        await api.PutAsync("/registry/pods/default/b", "b1");
        await api.TxnAsync(Op.Txn([], [Op.Put("/registry/pods/default/c", "c1"), Op.Put("/registry/pods/default/a", "a2"), Op.Delete("/registry/pods/default/b")]));
        var compactAt = (await api.PutAsync("/registry/leases/x", "held", lease: LeaseId)).Header.Revision;
        await api.PutAsync("/registry/pods/default/c", "c2");
        await api.CompactAsync(compactAt, physical: true);
        await api.TxnAsync(Op.Txn([], [Op.Put("/registry/pods/default/d", "d1"), Op.Put("/registry/pods/default/e\0zero", "e1")]));
        await api.DeleteAsync("/registry/pods/default/c");
        await api.PutAsync("/registry/pods/default/a", "a3");
        var last = await api.RevisionAsync();

        var snapshot = Path.Combine(TestDirectories.Create("snapshot"), "backup.db");
        try
        {
            var save = await Etcdctl("--endpoints", store.ClientUrl.ToString().TrimEnd('/'), "snapshot", "save", snapshot);
            Assert.True(save.ExitCode == 0, save.ToString());
            var status = await Etcdctl("snapshot", "status", snapshot, "-w", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains($"\"revision\":{last},", status.StandardOutput, StringComparison.Ordinal);

            await using var etcd = await RealEtcd.RestoreAsync(snapshot);
            using var etcdChannel = GrpcChannel.ForAddress(etcd.ClientUrl);
            var restored = new EtcdApi(etcdChannel);
            await restored.WaitUntilServingAsync();

            Assert.Equal(last, await restored.RevisionAsync());
            for (var revision = compactAt; revision <= last; revision++)
            {
                var expected = await api.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision });
                var actual = await restored.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision });
                Assert.True(expected.Kvs.SequenceEqual(actual.Kvs), $"at revision {revision}: {actual.Kvs} instead of {expected.Kvs}");
            }

            await Expect.RpcErrorAsync(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted",
                () => restored.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = compactAt - 1 }));

            var lease = await restored.TimeToLiveAsync(LeaseId, keys: true);
            Assert.Equal(600, lease.GrantedTTL);
            Assert.Equal(["/registry/leases/x"], lease.Keys.Select(k => k.ToStringUtf8()));

            var write = await restored.PutAsync("/registry/pods/default/f", "f1");
            Assert.Equal(last + 1, write.Header.Revision);
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(snapshot)!);
        }
    }

    private static Task<ProcessResult> Etcdctl(params string[] arguments) =>
        ProcessRunner.RunAsync(EtcdctlTranscript.Binary, arguments, timeout: TimeSpan.FromSeconds(60), environment: EtcdctlEnvironment);
}
