using System.Text.RegularExpressions;
using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Etcdctl;

/// <summary>
/// The Kubernetes docs' backup and restore, across implementations: a snapshot saved from
/// MiniKube with the real etcdctl is an etcd snapshot: etcdctl's snapshot status reads the same
/// from it as from etcd's own, and a real etcd 3.4 restored from it serves every key, its history
/// back to the compaction, and leases. Each test has servers of its own, so nothing else writes.
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

    [Fact]
    public async Task Snapshot_status_reads_the_same_revision_and_key_count_from_MiniKube_and_from_etcd_after_the_same_writes()
    {
        var startStore = MiniKubeStore.StartAsync();
        var startEtcd = RealEtcd.StartAsync();
        await using var store = await startStore;
        await using var etcd = await startEtcd;
        var directory = TestDirectories.Create("snapshot");
        try
        {
            var statuses = new List<string>();
            foreach (var server in new IEtcdServer[] { store, etcd })
            {
                using var channel = GrpcChannel.ForAddress(server.ClientUrl);
                var api = new EtcdApi(channel);
                await api.WaitUntilServingAsync();
                await api.GrantAsync(600, 0x10);
                await api.PutAsync("/registry/a", "1", lease: 0x10);
                await api.TxnAsync(Op.Txn([], [Op.Put("/registry/b", "1"), Op.Put("/registry/c", "1")]));
                var compactAt = (await api.PutAsync("/registry/a", "2")).Header.Revision;
                await api.DeleteAsync("/registry/b");
                await api.CompactAsync(compactAt, physical: true);
                await api.PutAsync("/registry/c", "2");

                var file = Path.Combine(directory, $"{server.Kind}.db");
                var save = await Etcdctl("--endpoints", server.ClientUrl.ToString().TrimEnd('/'), "snapshot", "save", file);
                Assert.True(save.ExitCode == 0, save.ToString());
                var status = await Etcdctl("snapshot", "status", file, "-w", "json");
                Assert.True(status.ExitCode == 0, status.ToString());
                statuses.Add(status.StandardOutput);
            }

            // The hash covers the members bucket (other URLs and IDs); the size is the page layout's.
            static string Comparable(string status) => Regex.Replace(status, @"""(hash|totalSize)"":\d+", "");
            Assert.Equal(Comparable(statuses[1]), Comparable(statuses[0]));
            Assert.Contains("\"revision\":6,", statuses[0], StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(directory);
        }
    }

    private static Task<ProcessResult> Etcdctl(params string[] arguments) =>
        ProcessRunner.RunAsync(EtcdctlTranscript.Binary, arguments, timeout: TimeSpan.FromSeconds(60), environment: EtcdctlEnvironment);
}
